package sim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// A device with TLSPorts serves its API over HTTPS there, with a key of its
// own, made when it is first served and kept for the device's life: a
// self-signed certificate, as home devices have (a real Hue bridge's is
// signed by Signify's own authority, which no system trusts either). An
// impostor has a key of its own, whatever else it copies.

// tlsConfig returns the device's TLS configuration, making its key on the
// first call.
func (d *Device) tlsConfig() (*tls.Config, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cert == nil {
		cert, err := selfSigned(strings.ToLower(d.MAC))
		if err != nil {
			return nil, fmt.Errorf("device %q: making its TLS key: %w", d.Name, err)
		}
		d.cert = &cert
	}
	return &tls.Config{Certificates: []tls.Certificate{*d.cert}, MinVersion: tls.VersionTLS12}, nil
}

// TLSKey is the SHA-256 of the device's public key (its SPKI), hex, as
// Porchlight pins it; "" before the device was first served over TLS.
func (d *Device) TLSKey() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cert == nil || d.cert.Leaf == nil {
		return ""
	}
	sum := sha256.Sum256(d.cert.Leaf.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

// serveTLS wraps ln so that it serves TLS with the device's key.
func (d *Device) serveTLS(ln net.Listener) (net.Listener, error) {
	cfg, err := d.tlsConfig()
	if err != nil {
		return nil, err
	}
	return tls.NewListener(ln, cfg), nil
}

// selfSigned makes a P-256 key and a certificate for it, issued by itself
// to name.
func selfSigned(name string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
