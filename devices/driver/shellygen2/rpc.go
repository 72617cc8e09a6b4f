package shellygen2

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/porchlight/porchlight/devices/devhttp"
	"github.com/porchlight/porchlight/devices/driver"
	"github.com/porchlight/porchlight/devices/driver/httpdigest"
	"github.com/porchlight/porchlight/devices/driver/internal/exchange"
)

// rpcPath is where JSON-RPC 2.0 frames are posted.
// Source: https://shelly-api-docs.shelly.cloud/gen2/General/RPCProtocol
// (HTTP transport: POST /rpc with the request frame as body).
const rpcPath = "/rpc"

// source names Porchlight in request frames ("src").
const source = "porchlight"

// Source: https://shelly-api-docs.shelly.cloud/gen2/General/RPCProtocol
// (request frame: id, src, method, params) and .../CommonErrors (error
// object: code, message).
type request struct {
	ID     int    `json:"id"`
	Src    string `json:"src"`
	Method string `json:"method"`
	Params any    `json:"params,omitempty"`
}

type response struct {
	ID     int             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *rpcError       `json:"error"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// errCodeUnauthorized is the RPC error code of a refused authentication.
// Source: https://shelly-api-docs.shelly.cloud/gen2/General/Authentication
// (error 401 carries the challenge on channels without HTTP status codes).
const errCodeUnauthorized = 401

// rpcClient calls methods on one device, answering its digest challenges
// (RFC 7616, SHA-256) with creds when it asks for them.
type rpcClient struct {
	conn  *exchange.Conn
	creds *driver.Credentials
	// challenge is the last one the device sent; later calls answer it
	// right away with the next nonce count (firmware 2.0+ accepts a nonce
	// many times; older firmware asks again, which costs one retry).
	challenge *httpdigest.Challenge
	nc        uint32
	nextID    int
}

// newRPC calls methods through c, with creds when the device asks.
func newRPC(c *exchange.Conn, creds *driver.Credentials) *rpcClient {
	r := &rpcClient{conn: c, creds: creds}
	if creds != nil {
		r.conn.AddSecret(creds.Password)
	}
	return r
}

// call invokes method with params and decodes its result into result
// (which may be nil to ignore it).
func (r *rpcClient) call(ctx context.Context, method string, params, result any) error {
	r.nextID++
	body, err := json.Marshal(request{ID: r.nextID, Src: source, Method: method, Params: params})
	if err != nil {
		return err
	}
	res, err := r.post(ctx, body)
	if err != nil {
		return err
	}
	// An error frame may come with a 2xx or an error status: it says more.
	var frame response
	if err := r.conn.DecodeJSON(res, &frame); err != nil {
		if statusErr := r.conn.StatusError(res); statusErr != nil {
			return statusErr
		}
		return err
	}
	if frame.Error != nil {
		sentinel := driver.ErrRefused
		if frame.Error.Code == errCodeUnauthorized {
			sentinel = driver.ErrAuth
		}
		return r.conn.Errorf(sentinel, "%s: error %d: %s", method, frame.Error.Code, frame.Error.Message)
	}
	if err := r.conn.StatusError(res); err != nil {
		return err
	}
	if result == nil || len(frame.Result) == 0 {
		return nil
	}
	if err := json.Unmarshal(frame.Result, result); err != nil {
		return r.conn.Errorf(driver.ErrRefused, "%s: the result is not the JSON expected: %v", method, err)
	}
	return nil
}

// post sends one frame, answering the device's digest challenge, and
// returns the answer whatever its status but 401. It
// retries once more when the device says the nonce was stale, or when a
// nonce reused from an earlier call was not accepted (firmware before 2.0
// takes each nonce once); a refused answer to a fresh nonce is ErrAuth.
func (r *rpcClient) post(ctx context.Context, body []byte) (*devhttp.Response, error) {
	retried := false
	for {
		header := http.Header{"Content-Type": {"application/json"}}
		sentAuth := r.challenge != nil && r.creds != nil
		if sentAuth {
			auth, err := r.authorization()
			if err != nil {
				return nil, err
			}
			header.Set("Authorization", auth)
		}
		res, err := r.conn.Do(ctx, devhttp.Request{Method: http.MethodPost, Path: rpcPath, Header: header, Body: body})
		if err != nil {
			return nil, err
		}
		if res.Status != http.StatusUnauthorized {
			return res, nil
		}
		if r.creds == nil {
			return nil, r.conn.Errorf(driver.ErrAuth, "%s: the device asks for a password", res.Asked)
		}
		ch, err := httpdigest.Parse(res.Header.Values("WWW-Authenticate"))
		if err != nil {
			return nil, r.conn.Errorf(driver.ErrAuth, "%s: %v", res.Asked, err)
		}
		if sentAuth {
			if retried || (!ch.Stale && r.nc == 1) {
				return nil, r.conn.Errorf(driver.ErrAuth, "%s: the device refused the password", res.Asked)
			}
			retried = true
		}
		r.challenge, r.nc = ch, 0
	}
}

// authorization answers the cached challenge with the next nonce count.
func (r *rpcClient) authorization() (string, error) {
	cnonce := make([]byte, 16)
	if _, err := rand.Read(cnonce); err != nil {
		return "", err
	}
	r.nc++
	user := username(r.creds)
	ha1 := httpdigest.HA1(user, r.challenge.Realm, r.creds.Password)
	// Source: https://shelly-api-docs.shelly.cloud/gen2/General/Authentication
	// (digest per RFC 7616 with SHA-256; user "admin"; realm = device id).
	return r.challenge.Authorization(http.MethodPost, rpcPath, user, ha1, r.nc, hex.EncodeToString(cnonce)), nil
}
