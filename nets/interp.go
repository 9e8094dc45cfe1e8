package nets

import "fmt"

// CurvePoint is the loss and accuracy of an interpolated net.
type CurvePoint struct {
	Alpha       float64
	Train, Test Metrics
}

// String returns "α=0.5: train loss … test loss …".
func (p CurvePoint) String() string {
	return fmt.Sprintf("α=%g: train %v, test %v", p.Alpha, p.Train, p.Test)
}

// InterpolateCurve evaluates θ(α) = (1−α)·θ_a + α·θ_b for each α on train and test
// (test may be nil), in float32: the experiment of Goodfellow, Vinyals & Saxe (2015),
// from initialization to solution or between two solutions. a and b must have the
// same widths, activation and loss.
func InterpolateCurve(a, b *Net, alphas []float64, train, test *Data) ([]CurvePoint, error) {
	if a.String() != b.String() {
		return nil, fmt.Errorf("nets: interpolate between %v and %v: want the same widths, activation and loss", a, b)
	}
	for _, d := range []*Data{train, test} {
		if d != nil {
			if err := a.compatible(d); err != nil {
				return nil, err
			}
		}
	}
	e := newEngine[float32](a.Sizes, a.Act, a.Loss, evalBatch)
	mid := a.Clone()
	out := make([]CurvePoint, len(alphas))
	for i, al := range alphas {
		mid.Interpolate(a, b, al)
		e.setParams(mid.p)
		out[i].Alpha = al
		out[i].Train.Loss, out[i].Train.Accuracy = e.evaluate(train)
		if test != nil {
			out[i].Test.Loss, out[i].Test.Accuracy = e.evaluate(test)
		}
	}
	return out, nil
}
