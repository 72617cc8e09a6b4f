//go:build keyring_integration && linux

package vault

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// This file starts the private D-Bus session buses and Secret Service
// providers the integration tests run against. Everything listens on Unix
// sockets in temporary directories; nothing touches the network or the
// keyring of the person running the tests.

// secretsName is the well-known D-Bus name of the Secret Service.
const secretsName = "org.freedesktop.secrets"

// installHint is what a missing tool's failure message tells people to do.
const installHint = "install it with `apt-get install -y dbus gnome-keyring`"

// startupTimeout bounds how long a daemon may take to come up.
const startupTimeout = 10 * time.Second

// busConfig is a session bus that allows everything and has no service
// directories, so no Secret Service provider can be D-Bus-activated.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// requireTool returns the path of an installed program, or fails the
// test saying how to install it.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed for the keyring integration tests but was not found: %s", name, installHint)
	}
	return path
}

// daemon is a background process started for one test and killed when
// the test ends.
type daemon struct {
	name   string
	stderr syncBuffer
	exited chan struct{} // closed once the process has exited
	err    error         // the exit error; read only after exited is closed
}

// startDaemon starts cmd and registers its cleanup; its stderr is kept for
// failure messages. cmd dies with the test process.
func startDaemon(t *testing.T, name string, cmd *exec.Cmd) *daemon {
	t.Helper()
	d := &daemon{name: name, exited: make(chan struct{})}
	cmd.Stderr = &d.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		d.err = cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-d.exited
	})
	return d
}

// diedEarly describes a daemon that exited while it was still needed.
func (d *daemon) diedEarly() string {
	return fmt.Sprintf("%s exited early (%v); its output:\n%s", d.name, d.err, d.stderr.String())
}

// syncBuffer is a bytes buffer safe for a writer and a reader in
// different goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startBus starts a private session bus without service directories and
// returns its address. The socket lives in a short temporary directory
// because Unix socket paths are limited to about 100 bytes.
func startBus(t *testing.T) string {
	t.Helper()
	path := requireTool(t, "dbus-daemon")
	dir, err := os.MkdirTemp("", "plbus")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	config := filepath.Join(dir, "session.conf")
	if err := os.WriteFile(config, fmt.Appendf(nil, busConfig, filepath.Join(dir, "bus")), 0o600); err != nil {
		t.Fatal(err)
	}

	// dbus-daemon prints its address on fd 3 once it is listening.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(path, "--config-file="+config, "--print-address=3", "--nofork")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Env = cleanEnv(nil)
	d := startDaemon(t, "dbus-daemon", cmd)
	w.Close()

	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	timer := time.NewTimer(startupTimeout)
	defer timer.Stop()
	select {
	case addr := <-line:
		if addr == "" {
			<-d.exited
			t.Fatal(d.diedEarly())
		}
		return addr
	case <-timer.C:
		t.Fatalf("dbus-daemon printed no address within %s; its output:\n%s", startupTimeout, d.stderr.String())
	}
	return ""
}

// cleanEnv returns this process's environment without anything that
// points at the real desktop session, plus set.
func cleanEnv(set map[string]string) []string {
	drop := map[string]bool{
		"DBUS_SESSION_BUS_ADDRESS": true, "DBUS_STARTER_ADDRESS": true, "DBUS_STARTER_BUS_TYPE": true,
		"DISPLAY": true, "WAYLAND_DISPLAY": true, "GNOME_KEYRING_CONTROL": true, "SSH_AUTH_SOCK": true,
		"XDG_RUNTIME_DIR": true, "XDG_DATA_HOME": true, "XDG_CONFIG_HOME": true, "XDG_CACHE_HOME": true, "HOME": true,
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] && set[k] == "" {
			env = append(env, kv)
		}
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// startGnomeKeyring starts gnome-keyring-daemon with only its Secret
// Service component on the bus at addr, with a fresh home directory. With
// unlock, it creates and unlocks a login keyring the way a desktop login
// does; without, the keyring stays locked. It returns once the daemon owns
// org.freedesktop.secrets.
func startGnomeKeyring(t *testing.T, addr string, unlock bool) {
	t.Helper()
	path := requireTool(t, "gnome-keyring-daemon")
	home := t.TempDir()
	args := []string{"--foreground", "--components=secrets"}
	if unlock {
		args = append(args, "--unlock")
	}
	cmd := exec.Command(path, args...)
	cmd.Env = cleanEnv(map[string]string{
		"DBUS_SESSION_BUS_ADDRESS": addr,
		"HOME":                     home,
		"XDG_RUNTIME_DIR":          t.TempDir(),
		"XDG_DATA_HOME":            filepath.Join(home, ".local", "share"),
		"XDG_CONFIG_HOME":          filepath.Join(home, ".config"),
		"XDG_CACHE_HOME":           filepath.Join(home, ".cache"),
	})
	if unlock {
		// --unlock reads the login keyring's password from stdin until EOF.
		cmd.Stdin = strings.NewReader("integration-test-password")
	}
	d := startDaemon(t, "gnome-keyring-daemon", cmd)
	waitForOwner(t, addr, secretsName, d)
}

// waitForOwner returns once name has an owner on the bus at addr, and
// fails the test if d exits first or startupTimeout passes.
func waitForOwner(t *testing.T, addr, name string, d *daemon) {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connecting to the test bus: %v", err)
	}
	defer conn.Close()
	if err := conn.AddMatchSignal(
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, name),
	); err != nil {
		t.Fatalf("watching %s: %v", name, err)
	}
	changed := make(chan *dbus.Signal, 8)
	conn.Signal(changed)

	var owned bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned); err != nil {
		t.Fatalf("asking for %s: %v", name, err)
	}
	timer := time.NewTimer(startupTimeout)
	defer timer.Stop()
	for !owned {
		select {
		case sig := <-changed:
			owned = len(sig.Body) == 3 && sig.Body[2] != ""
		case <-d.exited:
			t.Fatal(d.diedEarly())
		case <-timer.C:
			t.Fatalf("%s did not take %s within %s; its output:\n%s", d.name, name, startupTimeout, d.stderr.String())
		}
	}
}

// startHangingSecrets owns org.freedesktop.secrets on the bus at addr and
// never answers any method call, like a Secret Service provider stuck
// behind an unlock prompt nobody sees. It returns a channel closed when
// the first call arrives and a function counting the calls so far.
func startHangingSecrets(t *testing.T, addr string) (firstCall <-chan struct{}, calls func() int) {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connecting to the test bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	reply, err := conn.RequestName(secretsName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking %s: reply %v, %v", secretsName, reply, err)
	}

	// From here on godbus hands every incoming message to msgs instead of
	// answering it; Close closes msgs.
	msgs := make(chan *dbus.Message, 64)
	conn.Eavesdrop(msgs)
	first := make(chan struct{})
	var mu sync.Mutex
	n := 0
	go func() {
		for m := range msgs {
			if m.Type != dbus.TypeMethodCall {
				continue
			}
			mu.Lock()
			if n++; n == 1 {
				close(first)
			}
			mu.Unlock()
		}
	}()
	return first, func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}
