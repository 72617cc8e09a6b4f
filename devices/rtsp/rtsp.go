// Package rtsp asks a camera, read-only and without credentials, whether
// its video stream is open: an OPTIONS request, then a DESCRIBE (RFC 2326
// §10.1, §10.2) of the stream. A 200 answer to DESCRIBE with a session
// description (SDP) means anyone on the network can watch it; 401 means it
// asks for a password. Nothing is set up or played. Every answer is
// hostile: the connection goes to the camera's own home-network address
// only (devhttp.Dial), each exchange is bounded in time, headers and body.
package rtsp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/devtext"
)

// DefaultPort is RTSP's port (RFC 2326 §3.2).
const DefaultPort = 554

// Limits on one answer.
const (
	// MaxHeader bounds the bytes of an answer's status line and headers.
	MaxHeader = 8 << 10
	// MaxBody bounds an answer's body (a camera's SDP is about 1 KB).
	MaxBody = 64 << 10
	// maxHeaders bounds its header lines.
	maxHeaders = 64
)

// Response is one RTSP answer.
type Response struct {
	Status int
	// Header holds the first value of each header, by upper-case name.
	Header map[string]string
	Body   []byte
}

// ErrResponse reports an answer that is not a well-formed RTSP response.
var ErrResponse = errors.New("not an RTSP answer")

// ReadResponse reads one answer from r: "RTSP/1.0 <status> <reason>",
// headers, and a body of Content-Length bytes. It reads at most MaxHeader
// bytes of status line and headers, lines of at most r's buffer size,
// maxHeaders header lines and MaxBody bytes of body, and nothing past the
// answer (the next one on the connection stays in r).
func ReadResponse(r *bufio.Reader) (Response, error) {
	budget := MaxHeader
	line, err := readLine(r, &budget)
	if err != nil {
		return Response{}, err
	}
	proto, rest, _ := strings.Cut(line, " ")
	code, _, _ := strings.Cut(rest, " ")
	status, cerr := strconv.Atoi(code)
	if !strings.HasPrefix(proto, "RTSP/1.") || cerr != nil || len(code) != 3 || status < 100 {
		return Response{}, fmt.Errorf("%w: status line %q", ErrResponse, devtext.Clean(line, devtext.Summary))
	}
	res := Response{Status: status, Header: map[string]string{}}
	for n := 0; ; n++ {
		line, err := readLine(r, &budget)
		if err != nil {
			return Response{}, err
		}
		if line == "" {
			break
		}
		if n == maxHeaders {
			return Response{}, fmt.Errorf("%w: more than %d header lines", ErrResponse, maxHeaders)
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return Response{}, fmt.Errorf("%w: a header line without a colon", ErrResponse)
		}
		k = strings.ToUpper(strings.TrimSpace(k))
		if _, dup := res.Header[k]; !dup {
			res.Header[k] = strings.TrimSpace(v)
		}
	}
	cl := res.Header["CONTENT-LENGTH"]
	if cl == "" {
		return res, nil
	}
	size, err := strconv.Atoi(cl)
	if err != nil || size < 0 {
		return Response{}, fmt.Errorf("%w: Content-Length %q", ErrResponse, devtext.Clean(cl, devtext.Summary))
	}
	if size > MaxBody {
		return Response{}, fmt.Errorf("%w: a body of %d bytes, more than %d", ErrResponse, size, MaxBody)
	}
	res.Body = make([]byte, size)
	if _, err := io.ReadFull(r, res.Body); err != nil {
		return Response{}, fmt.Errorf("%w: the body ended early: %w", ErrResponse, err)
	}
	return res, nil
}

// readLine reads one CRLF- (or LF-) terminated line, counting its bytes
// against budget.
func readLine(r *bufio.Reader, budget *int) (string, error) {
	line, err := r.ReadSlice('\n')
	if *budget -= len(line); *budget < 0 {
		return "", fmt.Errorf("%w: headers larger than %d bytes", ErrResponse, MaxHeader)
	}
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", fmt.Errorf("%w: a line longer than %d bytes", ErrResponse, r.Size())
	case errors.Is(err, io.EOF):
		return "", fmt.Errorf("%w: the answer ended early", ErrResponse)
	case err != nil:
		return "", err
	}
	return string(bytes.TrimRight(line, "\r\n")), nil
}

// IsSDP reports whether res carries a session description: the
// application/sdp type and a body that begins with "v=0" (RFC 8866 §5).
func (res Response) IsSDP() bool {
	t, _, _ := strings.Cut(res.Header["CONTENT-TYPE"], ";")
	return strings.EqualFold(strings.TrimSpace(t), "application/sdp") && bytes.HasPrefix(bytes.TrimLeft(res.Body, " \r\n"), []byte("v=0"))
}

// Report is what a camera answered.
type Report struct {
	// URL is the stream asked for.
	URL string `json:"url"`
	// Options and Describe are the status codes of the answers (0: none).
	Options  int `json:"options"`
	Describe int `json:"describe"`
	// Open is set when DESCRIBE answered 200 with a session description,
	// without credentials: anyone on the network can watch the stream.
	Open bool `json:"open"`
	// AuthRequired is set when DESCRIBE answered 401.
	AuthRequired bool `json:"auth_required"`
	// Evidence quotes each request and what came back.
	Evidence []string `json:"evidence"`
	// Error says why the check stopped early ("" when it did not).
	Error string `json:"error,omitempty"`
}

// ErrURL reports a stream URL that is not rtsp:// at the camera's own address.
var ErrURL = errors.New("the stream's address is not the camera's own")

// StreamPath checks that uri (a stream URI a camera gave) is rtsp:// at
// addr, the camera's own address, and returns its port and path (with
// query).
func StreamPath(uri string, addr netip.Addr) (port int, path string, err error) {
	u, err := url.Parse(uri)
	if err != nil || !strings.EqualFold(u.Scheme, "rtsp") || u.User != nil {
		return 0, "", fmt.Errorf("%w: %q", ErrURL, devtext.Clean(uri, devtext.Summary))
	}
	host, err := netip.ParseAddr(u.Hostname())
	if err != nil || host.Unmap().WithZone("") != addr.Unmap().WithZone("") {
		return 0, "", fmt.Errorf("%w: %q", ErrURL, devtext.Clean(uri, devtext.Summary))
	}
	port = DefaultPort
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return 0, "", fmt.Errorf("%w: %q", ErrURL, devtext.Clean(uri, devtext.Summary))
		}
	}
	return port, cmpOr(u.RequestURI(), "/"), nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Check asks the camera at addr (a home-network address only), through n
// (the real network when nil), OPTIONS and then DESCRIBE for the stream at
// port and path, on one connection, without credentials, each exchange
// bounded by timeout.
func Check(ctx context.Context, n devhttp.Network, addr netip.Addr, port int, path string, timeout time.Duration) Report {
	hostport := strings.ReplaceAll(net.JoinHostPort(addr.String(), strconv.Itoa(port)), "%", "%25")
	rep := Report{URL: "rtsp://" + hostport + path, Evidence: []string{}}
	conn, err := devhttp.Dial(ctx, n, netip.AddrPortFrom(addr, uint16(port)).String(), timeout)
	if err != nil {
		rep.Error = devtext.Clean(err.Error(), devtext.Message)
		rep.Evidence = append(rep.Evidence, devtext.Clean("OPTIONS "+rep.URL+" → "+err.Error(), devtext.Summary))
		return rep
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	r := bufio.NewReaderSize(conn, 2048)
	ask := func(method string, cseq int, extra string) (Response, error) {
		_ = conn.SetDeadline(time.Now().Add(timeout))
		req := method + " " + rep.URL + " RTSP/1.0\r\nCSeq: " + strconv.Itoa(cseq) + "\r\n" + extra + "User-Agent: Porchlight/1\r\n\r\n"
		if _, err := io.WriteString(conn, req); err != nil {
			rep.Evidence = append(rep.Evidence, devtext.Clean(method+" "+rep.URL+" → "+err.Error(), devtext.Summary))
			return Response{}, err
		}
		res, err := ReadResponse(r)
		if err != nil {
			rep.Evidence = append(rep.Evidence, devtext.Clean(method+" "+rep.URL+" → "+err.Error(), devtext.Summary))
			return Response{}, err
		}
		saw := "RTSP " + strconv.Itoa(res.Status)
		switch {
		case res.IsSDP():
			saw += fmt.Sprintf(", a session description (%d bytes)", len(res.Body))
		case res.Header["WWW-AUTHENTICATE"] != "":
			scheme, _, _ := strings.Cut(res.Header["WWW-AUTHENTICATE"], " ")
			saw += ", asks for a password (" + scheme + ")"
		}
		rep.Evidence = append(rep.Evidence, devtext.Clean(method+" "+rep.URL+" → "+saw, devtext.Summary))
		return res, nil
	}
	res, err := ask("OPTIONS", 1, "")
	if err != nil {
		rep.Error = devtext.Clean(err.Error(), devtext.Message)
		return rep
	}
	rep.Options = res.Status
	res, err = ask("DESCRIBE", 2, "Accept: application/sdp\r\n")
	if err != nil {
		rep.Error = devtext.Clean(err.Error(), devtext.Message)
		return rep
	}
	rep.Describe = res.Status
	rep.Open = res.Status == 200 && res.IsSDP()
	rep.AuthRequired = res.Status == 401
	return rep
}
