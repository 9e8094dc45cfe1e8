package pool

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestEach(t *testing.T) {
	out := make([]int, 1000)
	var workers [4]atomic.Int64
	err := Each(context.Background(), len(out), 4, func(_ context.Context, i, w int) error {
		out[i] = i * i
		workers[w].Add(1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		if v != i*i {
			t.Fatalf("out[%d] = %d", i, v)
		}
	}
	var total int64
	for w := range workers {
		total += workers[w].Load()
	}
	if total != 1000 {
		t.Errorf("%d jobs ran, want 1000", total)
	}
	// The lowest failing index wins, whatever the order of completion.
	err = Each(context.Background(), 100, 3, func(_ context.Context, i, _ int) error {
		if i == 7 || i == 50 {
			return errors.New(string(rune('a' + i%26)))
		}
		return nil
	})
	if err == nil || err.Error() != string(rune('a'+7)) {
		t.Errorf("error %v, want the one of job 7", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ran atomic.Int64
	if err := Each(ctx, 10, 2, func(context.Context, int, int) error { ran.Add(1); return nil }); !errors.Is(err, context.Canceled) || ran.Load() != 0 {
		t.Errorf("cancelled: error %v, %d jobs ran; want context.Canceled and none", err, ran.Load())
	}
	if err := Each(context.Background(), 0, 4, nil); err != nil {
		t.Errorf("no jobs: %v", err)
	}
}
