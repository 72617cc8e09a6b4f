package driver

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

// TestWait waits the whole time, or stops when the context ends. It runs on
// synctest's fake clock, so the time waited is exact.
func TestWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const cooldown = 3 * time.Second
		start := time.Now()
		if err := Wait(context.Background(), cooldown); err != nil || time.Since(start) != cooldown {
			t.Errorf("Wait(%v) returned %v after %v", cooldown, err, time.Since(start))
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		start = time.Now()
		if err := Wait(ctx, time.Hour); !errors.Is(err, context.Canceled) || time.Since(start) != 0 {
			t.Errorf("Wait with an ended context: %v after %v", err, time.Since(start))
		}
		ctx, cancel = context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start = time.Now()
		if err := Wait(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Second {
			t.Errorf("Wait with a context ending after 1s: %v after %v", err, time.Since(start))
		}
	})
}
