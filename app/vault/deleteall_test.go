package vault

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestDeleteAll(t *testing.T) {
	const (
		a = "shelly-1/admin"
		b = "shelly-2/admin"
		c = "hue-3/pending"
	)
	tests := []struct {
		name        string
		stored      []string
		unavailable bool
		accounts    []string
		wantDeleted []string
		wantErr     error
		wantLeft    []string // sorted
	}{
		{"nothing listed", []string{a}, false, nil, nil, nil, []string{a}},
		{"all present", []string{a, b, c}, false, []string{a, b, c}, []string{a, b, c}, nil, nil},
		{"some already gone", []string{b}, false, []string{a, b, c}, []string{b}, nil, nil},
		{"only what is listed", []string{a, b, c}, false, []string{b}, []string{b}, nil, []string{c, a}},
		{"repeats once", []string{a}, false, []string{a, a}, []string{a}, nil, nil},
		{"invalid account reported, rest deleted", []string{a, b}, false, []string{a, "bad", b}, []string{a, b}, ErrInvalidAccount, nil},
		{"unavailable stops", []string{a, b}, true, []string{a, b}, nil, ErrUnavailable, []string{a, b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			var f Fake
			for _, account := range tt.stored {
				if err := f.Set(ctx, account, "pw"); err != nil {
					t.Fatal(err)
				}
			}
			f.SetUnavailable(tt.unavailable)
			deleted, err := DeleteAll(ctx, &f, tt.accounts)
			if !slices.Equal(deleted, tt.wantDeleted) {
				t.Errorf("deleted = %q, want %q", deleted, tt.wantDeleted)
			}
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			f.SetUnavailable(false)
			if left := f.Accounts(); !slices.Equal(left, tt.wantLeft) {
				t.Errorf("left in keyring = %q, want %q", left, tt.wantLeft)
			}
			if tt.unavailable && f.Calls().Delete != 1 {
				t.Errorf("%d deletes tried on an unavailable keyring, want 1", f.Calls().Delete)
			}
		})
	}
}
