package learn

import (
	"encoding/json"
	"math"
	"strconv"
)

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// jsonFloat is a float64 that encodes NaN and ±Inf as null.
type jsonFloat float64

// MarshalJSON encodes finite values as numbers and the others as null.
func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// MarshalJSON encodes the epoch with unmeasured (NaN) quantities as null.
func (e Epoch) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Epoch       int       `json:"epoch"`
		LR          jsonFloat `json:"lr"`
		LogLik      jsonFloat `json:"loglik"`
		LogLikExact bool      `json:"loglik_exact"`
		LogZ        jsonFloat `json:"logz"`
		LogZErr     jsonFloat `json:"logz_err"`
		Recon       jsonFloat `json:"recon"`
		PseudoLL    jsonFloat `json:"pseudo_ll"`
		Seconds     jsonFloat `json:"seconds"`
	}{e.Epoch, jsonFloat(e.LR), jsonFloat(e.LogLik), e.LogLikExact, jsonFloat(e.LogZ), jsonFloat(e.LogZErr),
		jsonFloat(e.Recon), jsonFloat(e.PseudoLL), jsonFloat(e.Seconds)})
}
