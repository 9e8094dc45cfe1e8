package interp

import (
	"go/build"
	"go/types"
	"os"
	"path/filepath"
)

// aliasesMaterialized reports whether go/types represents aliases as *types.Alias
// (gotypesalias=1: the default of a go ≥ 1.23 module, and the only mode from Go 1.27).
func aliasesMaterialized() bool {
	_, ok := types.Universe.Lookup("any").Type().(*types.Alias)
	return ok
}

// avoidAliasPanic works around gomacro's go/types converter, which panics on
// *types.Alias ("unsupported types.Type: *types.Alias"). gomacro reads the export data
// of standard-library packages through go/importer to refine the types it learns by
// reflection; when that data would contain aliases, we make the lookup fail, by
// pointing go/build's GOROOT at a missing directory, and gomacro falls back to
// reflection, as it always does for packages without export data (deepglass's own
// bindings included). With `//go:debug gotypesalias=0` (Go ≤ 1.26) nothing changes.
func avoidAliasPanic() {
	if !aliasesMaterialized() {
		return
	}
	build.Default.GOROOT = filepath.Join(os.TempDir(), "deepglass-kernel-no-goroot") // never created
}
