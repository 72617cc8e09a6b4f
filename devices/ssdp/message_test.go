package ssdp

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestParseMessage(t *testing.T) {
	for _, tc := range []struct {
		name, msg string
		want      Message
		err       error
	}{
		{"response", "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nEXT:\r\nLOCATION: http://192.168.178.1:49000/igddesc.xml\r\nSERVER: FRITZ!Box 7590 UPnP/1.0 AVM FRITZ!Box 7590 154.07.57\r\nST: upnp:rootdevice\r\nUSN: uuid:75802409-bccb-40e7-8e6c-fa095ecce13e::upnp:rootdevice\r\n\r\n",
			Message{Kind: Response, Target: "upnp:rootdevice", USN: "uuid:75802409-bccb-40e7-8e6c-fa095ecce13e::upnp:rootdevice",
				Location: "http://192.168.178.1:49000/igddesc.xml", Server: "FRITZ!Box 7590 UPnP/1.0 AVM FRITZ!Box 7590 154.07.57", MaxAge: 1800}, nil},
		{"alive, lower-case headers, bare newlines", "NOTIFY * HTTP/1.1\nhost: 239.255.255.250:1900\nnt: urn:schemas-upnp-org:device:MediaServer:1\nnts: ssdp:alive\nlocation: http://10.0.0.5:8200/rootDesc.xml\nusn: uuid:4d696e69-444c-164e-9d41-b827eb000001::urn:schemas-upnp-org:device:MediaServer:1\n\n",
			Message{Kind: Alive, Target: "urn:schemas-upnp-org:device:MediaServer:1", USN: "uuid:4d696e69-444c-164e-9d41-b827eb000001::urn:schemas-upnp-org:device:MediaServer:1",
				Location: "http://10.0.0.5:8200/rootDesc.xml"}, nil},
		{"byebye needs no location", "NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nNTS: ssdp:byebye\r\nUSN: uuid:abc::upnp:rootdevice\r\n\r\n",
			Message{Kind: ByeBye, Target: "upnp:rootdevice", USN: "uuid:abc::upnp:rootdevice"}, nil},
		{"another scanner's search", "M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\n\r\n", Message{}, ErrNotAnswer},
		{"update", "NOTIFY * HTTP/1.1\r\nNTS: ssdp:update\r\nUSN: uuid:a\r\nLOCATION: http://10.0.0.1/\r\n\r\n", Message{}, ErrNotAnswer},
		{"error status", "HTTP/1.1 500 Oops\r\n\r\n", Message{}, ErrMalformed},
		{"no usn", "HTTP/1.1 200 OK\r\nLOCATION: http://10.0.0.1/\r\n\r\n", Message{}, ErrMalformed},
		{"no location", "HTTP/1.1 200 OK\r\nUSN: uuid:a\r\n\r\n", Message{}, ErrMalformed},
		{"no colon", "HTTP/1.1 200 OK\r\nUSN uuid:a\r\n\r\n", Message{}, ErrMalformed},
		{"too many headers", "HTTP/1.1 200 OK\r\n" + strings.Repeat("X: y\r\n", 41) + "\r\n", Message{}, ErrMalformed},
		{"too large", "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", MaxMessage) + "\r\n\r\n", Message{}, ErrMalformed},
		{"long location", "HTTP/1.1 200 OK\r\nUSN: uuid:a\r\nLOCATION: http://10.0.0.1/" + strings.Repeat("a", 300) + "\r\n\r\n", Message{}, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseMessage([]byte(tc.msg))
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseMessageCleansText(t *testing.T) {
	m, err := ParseMessage([]byte("HTTP/1.1 200 OK\r\nSERVER: evil\x1b]0;owned\x07 \u202eOS\r\nUSN: uuid:a\r\nLOCATION: http://10.0.0.1/\r\n\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Server, "\x1b\x07\u202e") {
		t.Errorf("server %q keeps control or bidi characters", m.Server)
	}
}

func TestDescriptionURL(t *testing.T) {
	sender := netip.MustParseAddr("192.168.178.1")
	for _, tc := range []struct {
		loc     string
		port    int
		path    string
		refused bool
	}{
		{"http://192.168.178.1:49000/igddesc.xml", 49000, "/igddesc.xml", false},
		{"http://192.168.178.1/desc?x=1", 80, "/desc?x=1", false},
		{"http://192.168.178.2:49000/igddesc.xml", 0, "", true},   // another device
		{"https://192.168.178.1/igddesc.xml", 0, "", true},        // not plain HTTP
		{"http://router.local/igddesc.xml", 0, "", true},          // a name, not the address
		{"http://user:pw@192.168.178.1/igddesc.xml", 0, "", true}, // credentials
		{"http://192.168.178.1:99999/", 0, "", true},
		{"file:///etc/passwd", 0, "", true},
	} {
		port, path, err := DescriptionURL(tc.loc, sender)
		if (err != nil) != tc.refused || port != tc.port || path != tc.path {
			t.Errorf("%s: %d %q %v", tc.loc, port, path, err)
		}
	}
}

func TestUUID(t *testing.T) {
	for usn, want := range map[string]string{
		"uuid:ABC-1::upnp:rootdevice": "abc-1",
		"uuid:abc":                    "abc",
		"abc":                         "",
		"uuid:":                       "",
		"uuid:a b":                    "",
	} {
		if got := UUID(usn); got != want {
			t.Errorf("UUID(%q) = %q, want %q", usn, got, want)
		}
	}
}
