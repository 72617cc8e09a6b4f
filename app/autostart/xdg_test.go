//go:build !windows && !darwin

package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestXDGEntryOnAndOff(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	l := Login{Exe: "/opt/Porch light/bin/porchlight"}
	if l.Enabled() {
		t.Fatal("enabled before Enable")
	}
	if err := l.Enable(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(cfg, "autostart", "io.github.porchlight.Porchlight.desktop")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "Name=Porchlight\n", "Exec=\"/opt/Porch light/bin/porchlight\" --background\n", "Icon=io.github.porchlight.Porchlight\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the entry lacks %q:\n%s", want, b)
		}
	}
	if !l.Enabled() {
		t.Error("not enabled after Enable")
	}
	if removed, err := l.Disable(); err != nil || removed != p {
		t.Fatalf("Disable removed %q, %v; want %s", removed, err, p)
	}
	if l.Enabled() {
		t.Error("still enabled after Disable")
	}
	if removed, err := l.Disable(); err != nil || removed != "" {
		t.Errorf("a second Disable: %q, %v", removed, err)
	}
}

func TestXDGDefaultsToDotConfig(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "relative/ignored")
	if p, err := path(); err != nil || p != filepath.Join(home, ".config", "autostart", ID+".desktop") {
		t.Errorf("path %q, %v", p, err)
	}
}

func TestExecQuoting(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/porchlight": `"/usr/bin/porchlight"`,
		`/home/a"b/p`:         `"/home/a\\"b/p"`,
		"/home/$USER/p":       `"/home/\\$USER/p"`,
		`/home/a\b/p`:         `"/home/a\\\\b/p"`,
		"/home/100%/p":        `"/home/100%%/p"`,
		"/home/`rm -rf`/p":    "\"/home/\\\\`rm -rf\\\\`/p\"",
	} {
		if got := quoteExec(in); got != want {
			t.Errorf("quoteExec(%q) = %s, want %s", in, got, want)
		}
	}
	if err := (Login{Exe: "relative/porchlight"}).Enable(); err == nil {
		t.Error("a relative program was accepted")
	}
}
