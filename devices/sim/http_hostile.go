package sim

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The HTTP attacks of the hostile household (see Attack). Each handler
// answers every path and method, ends when a write fails or, while it
// waits, when its request's context ends (the client went away or the lab
// is closing), and costs the lab a bounded amount of memory whatever the
// client does.

// httpAttacks serves each attack that speaks HTTP.
var httpAttacks = map[Attack]http.HandlerFunc{
	AttackSlowDrip:        serveSlowDrip,
	AttackHugeBody:        serveHugeBody,
	AttackHeaderFlood:     serveHeaderFlood,
	AttackRedirectLoop:    serveRedirectLoop,
	AttackRedirectOutside: serveRedirectOutside,
	AttackInvalidJSON:     serveInvalidJSON,
	AttackDeepJSON:        serveDeepJSON,
	AttackGzipBomb:        serveGzipBomb,
}

// Sizes and pace of the HTTP attacks.
const (
	// DripEvery is the time between two bytes of the slow drip.
	DripEvery = 2 * time.Second
	// HugeBodyBytes is the Content-Length, and the length, of the huge body.
	HugeBodyBytes = 1 << 30
	// HeaderFloodLines is how many header lines the header flood sends.
	HeaderFloodLines = 100_000
	// DeepJSONLevels is how deep the deep JSON nests its arrays.
	DeepJSONLevels = 100_000
	// GzipBombBytes is what the gzip bomb inflates to.
	GzipBombBytes = 1 << 30
)

// dripText is what the slow drip sends first, a byte at a time: the start
// of a Shelly /shelly answer, in a string that then goes on forever.
const dripText = `{"name":null,"id":"slow-drip-shelly","model":"SNSW-001X16EU","gen":2,"fw_id":"`

func serveSlowDrip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	tick := time.NewTicker(DripEvery)
	defer tick.Stop()
	for i := 0; ; i++ {
		b := byte('0' + i%10)
		if i < len(dripText) {
			b = dripText[i]
		}
		if _, err := w.Write([]byte{b}); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

// The huge body is one WLED /json/info object whose name is the rest of
// the gigabyte.
const (
	hugeBodyHead = `{"ver":"0.14.4","brand":"WLED","product":"FOSS","arch":"esp32","name":"`
	hugeBodyTail = `"}`
)

func serveHugeBody(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(HugeBodyBytes))
	w.WriteHeader(http.StatusOK)
	if _, err := io.WriteString(w, hugeBodyHead); err != nil {
		return
	}
	filler := bytes.Repeat([]byte{'A'}, 32<<10)
	for left := HugeBodyBytes - len(hugeBodyHead) - len(hugeBodyTail); left > 0; left -= len(filler) {
		if _, err := w.Write(filler[:min(left, len(filler))]); err != nil {
			return
		}
	}
	_, _ = io.WriteString(w, hugeBodyTail)
}

// serveHeaderFlood writes the answer itself on the hijacked connection:
// net/http would hold all the headers in a map first.
func serveHeaderFlood(w http.ResponseWriter, _ *http.Request) {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot take over the connection", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	bw := rw.Writer
	if _, err := bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"); err != nil {
		return
	}
	line := []byte("X-Flood-")
	for i := range HeaderFloodLines {
		line = strconv.AppendInt(line[:len("X-Flood-")], int64(i), 10)
		line = append(line, ": shelly1-header-flood\r\n"...)
		if _, err := bw.Write(line); err != nil {
			return
		}
	}
	if _, err := bw.WriteString("Content-Length: 2\r\n\r\n{}"); err != nil {
		return
	}
	_ = bw.Flush()
}

// serveRedirectLoop redirects to the same path with the next number as its
// query. The path is rebuilt with a single leading slash, so that a request
// for //host/ cannot make it a redirect to another host.
func serveRedirectLoop(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.RawQuery) // 0 for the first request
	w.Header().Set("Location", "/"+strings.TrimLeft(r.URL.Path, "/")+"?"+strconv.Itoa(n+1))
	w.WriteHeader(http.StatusFound)
}

// Where the redirect-outside device sends its clients. Nothing in the lab
// connects there: a client that follows is the failure a test looks for.
const (
	outsideEurekaInfo = "http://8.8.8.8/setup/eureka_info"
	outsideRouter     = "http://192.168.1.1/"
)

func serveRedirectOutside(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/setup/eureka_info" {
		w.Header().Set("Location", outsideEurekaInfo)
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("Location", outsideRouter)
	w.WriteHeader(http.StatusMovedPermanently)
}

// invalidJSON is an Elgato accessory-info answer cut off in a string.
const invalidJSON = `{"productName":"Elgato Key Light","hardwareBoardType":53,"firmwareBuildNumber":218,"firmwareVersion":"1.0.3","serialNumber":"BW33J1A0`

func serveInvalidJSON(w http.ResponseWriter, _ *http.Request) {
	apiBody(w, http.StatusOK, "application/json", invalidJSON)
}

// deepJSON is DeepJSONLevels arrays nested in one another, built once.
var deepJSON = sync.OnceValue(func() []byte {
	return append(bytes.Repeat([]byte{'['}, DeepJSONLevels), bytes.Repeat([]byte{']'}, DeepJSONLevels)...)
})

func serveDeepJSON(w http.ResponseWriter, _ *http.Request) {
	body := deepJSON()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// gzipBomb is the stream the gzip bomb serves, built on first use.
var gzipBomb = sync.OnceValue(func() *gzipZeros { return newGzipZeros(GzipBombBytes >> 20) })

func serveGzipBomb(w http.ResponseWriter, _ *http.Request) {
	g := gzipBomb()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Length", strconv.Itoa(g.size()))
	w.WriteHeader(http.StatusOK)
	_, _ = g.WriteTo(w)
}

// gzipZeros is a gzip stream (RFC 1952) that inflates to mib MiB of zeros,
// kept in three parts so that gigabytes of zeros cost the lab a few
// kilobytes: head is the gzip header and the deflate blocks of the first
// MiB, middle the deflate blocks of one more MiB, written mib-1 times, and
// tail the final block and the gzip trailer.
//
// Repeating middle is valid deflate: it was cut at a flush, so it starts on
// a byte boundary with no block open, and its matches reach back at most
// 32 KiB, where the window holds zeros whichever MiB came before.
type gzipZeros struct {
	head, middle, tail []byte
	mib                int
}

// newGzipZeros compresses two MiB of zeros and computes the trailer for
// mib MiB (mib ≥ 1).
func newGzipZeros(mib int) *gzipZeros {
	zeros := make([]byte, 1<<20)
	// The gzip header: deflate, no flags, no time, no extra flags, OS unknown.
	buf := bytes.NewBuffer([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	// Writing to a bytes.Buffer cannot fail, and the level is valid.
	fw, _ := flate.NewWriter(buf, flate.BestCompression)
	cut := func() []byte {
		b := bytes.Clone(buf.Bytes())
		buf.Reset()
		return b
	}
	_, _ = fw.Write(zeros)
	_ = fw.Flush()
	g := &gzipZeros{mib: mib, head: cut()}
	_, _ = fw.Write(zeros)
	_ = fw.Flush()
	g.middle = cut()
	_ = fw.Close()
	var crc uint32
	for range mib {
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	g.tail = binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(cut(), crc), uint32(mib<<20))
	return g
}

// size is the length of the compressed stream.
func (g *gzipZeros) size() int {
	return len(g.head) + (g.mib-1)*len(g.middle) + len(g.tail)
}

// WriteTo writes the compressed stream to w (io.WriterTo).
func (g *gzipZeros) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(g.head)
	total := int64(n)
	for i := 1; i < g.mib && err == nil; i++ {
		n, err = w.Write(g.middle)
		total += int64(n)
	}
	if err == nil {
		n, err = w.Write(g.tail)
		total += int64(n)
	}
	return total, err
}
