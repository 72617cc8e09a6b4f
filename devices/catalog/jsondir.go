package catalog

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
)

// readDir reads every JSON file under dir of fsys as one T, each checked
// by its validate; an error names the file.
func readDir[T interface{ validate() error }](fsys fs.FS, dir string) ([]T, error) {
	var out []T
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".json" {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if err := v.validate(); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}
