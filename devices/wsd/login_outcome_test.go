package wsd

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
)

// pipeNetwork serves h to every connection, in memory.
type pipeNetwork struct {
	h    http.Handler
	once sync.Once
	ln   *pipeListener
}

type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}
func (l *pipeListener) Close() error   { close(l.done); return nil }
func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

func (n *pipeNetwork) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	n.once.Do(func() {
		n.ln = &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
		go func() { _ = (&http.Server{Handler: n.h, ReadHeaderTimeout: time.Second}).Serve(n.ln) }()
	})
	client, server := net.Pipe()
	select {
	case n.ln.conns <- server:
		return client, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestLoginOutcomes: what a device answers to a login becomes accepted,
// refused or failed, never a guess; no evidence or error holds the
// password, even when the device echoes it.
func TestLoginOutcomes(t *testing.T) {
	const password = "Factory-Secret-9"
	soap := func(body string) string {
		return `<?xml version="1.0"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>` + body + `</e:Body></e:Envelope>`
	}
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   Login
		err    bool
	}{
		{"answers", 200, soap(`<tds:GetDeviceInformationResponse xmlns:tds="x"><tds:Model>M</tds:Model></tds:GetDeviceInformationResponse>`), LoginAccepted, false},
		{"HTTP 401", 401, "", LoginRefused, false},
		{"SOAP fault NotAuthorized", 400, soap(`<e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>ter:NotAuthorized</e:Value></e:Subcode></e:Code></e:Fault>`), LoginRefused, false},
		{"HTTP 500", 500, "", LoginFailed, true},
		{"other fault", 400, soap(`<e:Fault><e:Code><e:Value>e:Sender</e:Value><e:Subcode><e:Value>ter:ActionNotSupported</e:Value></e:Subcode></e:Code></e:Fault>`), LoginFailed, true},
		{"not XML", 200, "<html>" + password + "</html>", LoginFailed, true},
		{"another answer", 200, soap(`<tds:GetSystemDateAndTimeResponse xmlns:tds="x"/>`), LoginFailed, true},
		{"a document type", 200, `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "` + password + `">]><e:Envelope xmlns:e="x">&a;</e:Envelope>`, LoginFailed, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []byte
			n := &pipeNetwork{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = io.ReadAll(io.LimitReader(r.Body, 1<<16))
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})}
			c := devhttp.New(n, netip.MustParseAddr("127.0.0.1"), time.Second)
			login, ev, err := TryLogin(context.Background(), c, false, 80, "/onvif/device_service", "admin", password, time.Now())
			if login != tc.want || (err != nil) != tc.err {
				t.Errorf("%d, %v; want %d (error %v)", login, err, tc.want, tc.err)
			}
			if strings.Contains(ev, password) || (err != nil && strings.Contains(err.Error(), password)) {
				t.Errorf("the password leaked: %q, %v", ev, err)
			}
			if strings.Contains(string(got), password) || !strings.Contains(string(got), "PasswordDigest") {
				t.Errorf("the request carried the password itself, or no digest: %s", got)
			}
		})
	}
}
