package driver

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestWait waits the whole time, or stops when the context ends.
func TestWait(t *testing.T) {
	start := time.Now()
	if err := Wait(context.Background(), 20*time.Millisecond); err != nil || time.Since(start) < 20*time.Millisecond {
		t.Errorf("Wait returned %v after %v", err, time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Wait(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait with an ended context: %v", err)
	}
}
