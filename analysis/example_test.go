package analysis_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/deepglass/deepglass/analysis"
)

func ExampleEstimate_String() {
	fmt.Println(analysis.Estimate{Mean: 0.43213, Err: 0.00123})
	fmt.Println(analysis.Estimate{Mean: -1.41421356, Err: 0.000271})
	fmt.Println(analysis.Estimate{Mean: 12.3, Err: 1.5})
	fmt.Println(analysis.Estimate{Mean: 1234.5, Err: 23})
	fmt.Println(analysis.Estimate{Mean: 0.5, Err: 0.00995})
	b, _ := json.Marshal(analysis.Estimate{Mean: 0.75, Err: math.NaN(), N: 1})
	fmt.Println(string(b))
	// Output:
	// 0.4321(12)
	// -1.41421(27)
	// 12.3(1.5)
	// 1235(23)
	// 0.500(10)
	// {"mean":0.75,"err":null,"n":1}
}

// ExampleSeries measures a correlated time series, an AR(1) process around 1 with
// exact integrated autocorrelation time (1+ρ)/(2(1−ρ)) = 9.5.
func ExampleSeries() {
	const rho = 0.9
	rng := rand.New(rand.NewPCG(1, 2))
	s := analysis.NewSeries(100)
	x := rng.NormFloat64()
	for range 1_000_000 {
		s.Add(1 + x)
		x = rho*x + math.Sqrt(1-rho*rho)*rng.NormFloat64()
	}
	e := s.Estimate()
	fmt.Println("mean:", e)
	fmt.Printf("tau: %.0f\n", e.Tau)
	fmt.Println("bins:", len(s.Bins()))
	// Output:
	// mean: 0.9946(44)
	// tau: 10
	// bins: 10000
}

// ExampleBinder computes derived quantities from measurements of the magnetisation
// per spin m, here drawn from a Gaussian (a disordered phase, where U₄ = 0).
func ExampleBinder() {
	const beta, n = 0.4, 100
	rng := rand.New(rand.NewPCG(1, 2))
	m2, m4, absm := analysis.NewSeries(16), analysis.NewSeries(16), analysis.NewSeries(16)
	for range 1 << 16 {
		m := 0.1 * rng.NormFloat64()
		m2.Add(m * m)
		m4.Add(m * m * m * m)
		absm.Add(math.Abs(m))
	}
	u := analysis.Binder(m2, m4, analysis.DefaultBlocks)
	chi := analysis.Susceptibility(m2, absm, beta, n, analysis.DefaultBlocks)
	fmt.Println("U4 =", u)
	fmt.Printf("chi = %v (exact %.4f)\n", chi, beta*n*0.01*(1-2/math.Pi))
	// Output:
	// U4 = -0.0019(72)
	// chi = 0.14592(98) (exact 0.1454)
}

// MarshalJSON writes what encoding/json writes, except that NaN and ±Inf, which
// encoding/json refuses, become null; NullToNaN reads them back as NaN.
func ExampleMarshalJSON() {
	type point struct {
		T            float64 `json:"T"`
		SpecificHeat float64 `json:"specific_heat"`
	}
	p := point{T: 1e-300, SpecificHeat: math.NaN()}
	_, err := json.Marshal(p)
	fmt.Println(err)
	b, _ := analysis.MarshalJSON(p)
	fmt.Println(string(b))
	var back point
	_ = json.Unmarshal(b, &back)
	_ = analysis.NullToNaN(b, &back)
	fmt.Println(back.SpecificHeat)
	// Output:
	// json: unsupported value: NaN
	// {"T":1e-300,"specific_heat":null}
	// NaN
}
