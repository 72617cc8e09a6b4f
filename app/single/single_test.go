package single

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestOnePerDataDirectory: a Porchlight started after the one running asks
// it to show itself instead of starting; once that one ends, even leaving
// its socket file behind, the next one is the one.
func TestOnePerDataDirectory(t *testing.T) {
	dir := t.TempDir()
	if Ask(dir) {
		t.Fatal("an empty data directory answered")
	}
	first, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(dir); err == nil {
		t.Fatal("a second Porchlight listened on the same data directory")
	}
	select {
	case <-first.Show():
	case <-time.After(10 * time.Second):
		t.Fatal("the second start did not ask the first to show itself")
	}
	if !Ask(dir) {
		t.Fatal("the running Porchlight did not answer")
	}
	<-first.Show()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if Ask(dir) {
		t.Fatal("a Porchlight that ended still answered")
	}

	// One that was killed leaves its socket file; the next one replaces it.
	if err := os.WriteFile(filepath.Join(dir, SocketName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	next, err := Listen(dir)
	if err != nil {
		t.Fatalf("the socket file left behind kept the next Porchlight out: %v", err)
	}
	next.Close()
}
