package discover

import (
	"strings"

	"github.com/porchlight/porchlight/devices/devtext"
)

// keepSet holds what Options.Keep names: host names and service instances
// that no limit drops. The zero keepSet keeps nothing.
type keepSet struct {
	hosts     map[string]bool // lower-case, as Device.Host ("kueche.local")
	instances map[string]bool // instanceKey of type and instance name
}

// newKeepSet returns the set of devices' hosts and service instances.
func newKeepSet(devices []Device) keepSet {
	k := keepSet{hosts: map[string]bool{}, instances: map[string]bool{}}
	for _, d := range devices {
		if d.Host != "" {
			k.hosts[strings.ToLower(d.Host)] = true
		}
		for _, s := range d.Services {
			k.instances[instanceKey(s.Type, s.Instance)] = true
		}
	}
	return k
}

// instanceKey names a service instance: its type and its name as Service
// holds it (decoded and made safe), in lower case.
func instanceKey(typ, instance string) string {
	return strings.ToLower(typ) + "\x00" + strings.ToLower(instance)
}

// host reports whether the host with this key (lower case, as
// resolved.hostKey) is kept.
func (k keepSet) host(key string) bool { return k.hosts[key] }

// hostName reports whether the host with this DNS name, as it arrives
// ("K\195\188che.local."), is kept.
func (k keepSet) hostName(name string) bool {
	if len(k.hosts) == 0 {
		return false
	}
	return k.hosts[strings.ToLower(devtext.Clean(DecodeName(strings.TrimSuffix(name, ".")), devtext.Name))]
}

// instance reports whether the instance with this label, as it arrives
// (still escaped), of service type typ is kept.
func (k keepSet) instance(typ, label string) bool {
	if len(k.instances) == 0 {
		return false
	}
	return k.instances[instanceKey(typ, devtext.Clean(DecodeName(label), devtext.Label))]
}
