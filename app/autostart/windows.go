//go:build windows

package autostart

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// runKey is the per-user key whose values Windows starts at login.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// valueName names Porchlight's value under runKey.
const valueName = "Porchlight"

func enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	_, _, err = k.GetStringValue(valueName)
	return err == nil
}

func enable(exe string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("opening HKEY_CURRENT_USER\\%s: %w", runKey, err)
	}
	defer k.Close()
	if err := k.SetStringValue(valueName, `"`+exe+`" `+BackgroundFlag); err != nil {
		return fmt.Errorf("writing HKEY_CURRENT_USER\\%s\\%s: %w", runKey, valueName, err)
	}
	return nil
}

func disable() (string, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("opening HKEY_CURRENT_USER\\%s: %w", runKey, err)
	}
	defer k.Close()
	if err := k.DeleteValue(valueName); errors.Is(err, registry.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("removing HKEY_CURRENT_USER\\%s\\%s: %w", runKey, valueName, err)
	}
	return `HKEY_CURRENT_USER\` + runKey + `\` + valueName, nil
}
