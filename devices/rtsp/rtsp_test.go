package rtsp

import (
	"bufio"
	"errors"
	"net/netip"
	"strings"
	"testing"
)

const (
	sdpAnswer  = "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: 39\r\n\r\nv=0\r\no=- 1 1 IN IP4 127.77.250.21\r\ns=x\r\n"
	authAnswer = "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm=\"AXIS\", nonce=\"abc\"\r\n\r\n"
)

func TestReadResponse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		status  int
		sdp     bool
		wantErr bool
	}{
		{"SDP", sdpAnswer, 200, true, false},
		{"401", authAnswer, 401, false, false},
		{"LF only", "RTSP/1.0 200 OK\nCSeq: 1\nPublic: OPTIONS\n\n", 200, false, false},
		{"200 without SDP", "RTSP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nv=0", 200, false, false},
		{"HTTP, not RTSP", "HTTP/1.1 200 OK\r\n\r\n", 0, false, true},
		{"no status", "RTSP/1.0 OK\r\n\r\n", 0, false, true},
		{"ends in the headers", "RTSP/1.0 200 OK\r\nCSeq: 1\r\n", 0, false, true},
		{"body shorter than said", "RTSP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nv=0", 0, false, true},
		{"huge body", "RTSP/1.0 200 OK\r\nContent-Length: 999999999\r\n\r\n", 0, false, true},
		{"negative length", "RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n", 0, false, true},
		{"too many headers", "RTSP/1.0 200 OK\r\n" + strings.Repeat("X: y\r\n", 65) + "\r\n", 0, false, true},
		{"headers too large", "RTSP/1.0 200 OK\r\n" + strings.Repeat("X: "+strings.Repeat("y", 1000)+"\r\n", 10) + "\r\n", 0, false, true},
		{"a line too long", "RTSP/1.0 200 OK\r\nX: " + strings.Repeat("y", 5000) + "\r\n\r\n", 0, false, true},
		{"header without colon", "RTSP/1.0 200 OK\r\nbroken\r\n\r\n", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadResponse(bufio.NewReaderSize(strings.NewReader(tt.in), 2048))
			if tt.wantErr {
				if !errors.Is(err, ErrResponse) {
					t.Errorf("ReadResponse = %+v, %v; want ErrResponse", res, err)
				}
				return
			}
			if err != nil || res.Status != tt.status || res.IsSDP() != tt.sdp {
				t.Errorf("ReadResponse = %+v (SDP %v), %v", res, res.IsSDP(), err)
			}
		})
	}
}

// TestReadResponseLeavesTheNext: two answers on one connection are read
// one after the other.
func TestReadResponseLeavesTheNext(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader("RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n"+sdpAnswer), 2048)
	if res, err := ReadResponse(r); err != nil || res.Header["CSEQ"] != "1" {
		t.Fatalf("first: %+v %v", res, err)
	}
	if res, err := ReadResponse(r); err != nil || res.Header["CSEQ"] != "2" || !res.IsSDP() {
		t.Fatalf("second: %+v %v", res, err)
	}
}

func TestStreamPath(t *testing.T) {
	cam := netip.MustParseAddr("192.168.1.64")
	tests := []struct {
		uri  string
		port int
		path string
		ok   bool
	}{
		{"rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast", 554, "/Streaming/Channels/101?transportmode=unicast", true},
		{"rtsp://192.168.1.64/live", 554, "/live", true},
		{"rtsp://192.168.1.64:8554", 8554, "/", true},
		{"rtsp://192.168.1.99/live", 0, "", false},
		{"rtsp://8.8.8.8/live", 0, "", false},
		{"http://192.168.1.64/live", 0, "", false},
		{"rtsp://admin:admin@192.168.1.64/live", 0, "", false},
		{"rtsp://camera.local/live", 0, "", false},
		{"rtsp://192.168.1.64:99999/", 0, "", false},
	}
	for _, tt := range tests {
		port, path, err := StreamPath(tt.uri, cam)
		if (err == nil) != tt.ok || port != tt.port || path != tt.path {
			t.Errorf("StreamPath(%q) = %d %q %v", tt.uri, port, path, err)
		}
		if err != nil && !errors.Is(err, ErrURL) {
			t.Errorf("StreamPath(%q): %v, want ErrURL", tt.uri, err)
		}
	}
}

func TestRefusesInternetAddresses(t *testing.T) {
	rep := Check(t.Context(), nil, netip.MustParseAddr("8.8.8.8"), DefaultPort, "/", 1e9)
	if rep.Error == "" || rep.Options != 0 || rep.Open {
		t.Errorf("asked an internet address: %+v", rep)
	}
}

// FuzzReadResponse: any answer is read without a panic, within the bounds.
func FuzzReadResponse(f *testing.F) {
	f.Add([]byte(sdpAnswer))
	f.Add([]byte(authAnswer))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ReadResponse(bufio.NewReaderSize(strings.NewReader(string(b)), 2048))
		if err != nil {
			return
		}
		if len(res.Body) > MaxBody || len(res.Header) > maxHeaders || res.Status < 100 || res.Status > 999 {
			t.Errorf("accepted %+v", res)
		}
	})
}
