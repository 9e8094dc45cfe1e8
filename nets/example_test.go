package nets_test

import (
	"context"
	"fmt"

	"github.com/deepglass/deepglass/nets"
)

// Train a small MLP on Gaussian clusters with momentum SGD and read its test accuracy.
func ExampleTrain() {
	train, test, err := nets.ParseData("blobs:d=10,k=3,n=600,ntest=300,seed=1", "")
	if err != nil {
		panic(err)
	}
	layers, _ := nets.ParseLayers("10,16,3")
	net, _ := nets.NewNet(layers, nets.Tanh, nets.CrossEntropy)
	net.Initialize(nets.DefaultInit(nets.Tanh), 1)
	h, err := nets.Train(context.Background(), net, train, test, nets.Options{
		Epochs: 5, Batch: 32, LR: 0.05, Optimizer: nets.Momentum, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(net)
	fmt.Printf("test accuracy after %d epochs: %.2f\n", len(h.Epochs), h.Last().TestAccuracy)
	// Output:
	// MLP 10-16-3 tanh xent (227 parameters)
	// test accuracy after 5 epochs: 0.89
}

// The gradient of the mean loss, in float64, in the layout of Params.
func ExampleNet_Gradient() {
	train, _, _ := nets.ParseData("blobs:d=4,k=2,n=8,seed=2", "")
	net, _ := nets.NewNet([]int{4, 3, 2}, nets.Erf, nets.Squared)
	net.Initialize(nets.Init{Kind: nets.Gaussian, SigmaW2: 1.5, SigmaB2: 0.05}, 2)
	grad := make([]float64, net.NumParams())
	loss, _ := net.Gradient(grad, train, nil)
	fmt.Printf("%d parameters, loss %.4f\n", net.NumParams(), loss)
	// Output:
	// 23 parameters, loss 1.4853
}
