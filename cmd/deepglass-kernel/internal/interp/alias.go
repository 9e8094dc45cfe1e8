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

// reflectionOnly makes gomacro learn every type by reflection.
//
// gomacro (2024-05) refines the types of standard-library packages with their export
// data, read through go/importer (which runs `go list -export` at run time), and its
// go/types converter panics on *types.Alias ("unsupported types.Type: *types.Alias"),
// which go/types produces unless gotypesalias=0, a setting Go 1.27 removes. We make
// that lookup fail by pointing go/build's GOROOT at a missing directory: gomacro then
// falls back to reflection, as it always does for packages without export data (the
// compiled-in deepglass and gonum/plot packages included). This works whatever the
// alias mode, needs no Go toolchain at run time, starts faster, and keeps gomacro from
// printing warnings about skipped generic declarations into the cells' output.
func reflectionOnly() {
	build.Default.GOROOT = filepath.Join(os.TempDir(), "deepglass-kernel-no-goroot") // never created
}
