package main

import (
	"bytes"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBindingsUpToDate fails when an API change made the generated bindings stale:
// run `go generate ./cmd/deepglass-kernel/...` and commit the result.
func TestBindingsUpToDate(t *testing.T) {
	files, err := Generate(Packages)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "bindings")
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s missing: run go generate ./cmd/deepglass-kernel/...", name)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./cmd/deepglass-kernel/...", name)
		}
	}
	old, _ := filepath.Glob(filepath.Join(dir, "zz_*.go"))
	for _, f := range old {
		if _, ok := files[filepath.Base(f)]; !ok {
			t.Errorf("%s is not generated any more: run go generate ./cmd/deepglass-kernel/...", f)
		}
	}
}

// TestAliasesResolved checks the generator on a package with type aliases, generic
// declarations and interfaces, whichever way go/types represents aliases.
func TestAliasesResolved(t *testing.T) {
	pkg := types.NewPackage("example.com/p", "p")
	scope := pkg.Scope()
	intT := types.Typ[types.Int]
	named := types.NewNamed(types.NewTypeName(0, pkg, "Count", nil), intT, nil)
	scope.Insert(named.Obj())
	// type Alias = Count
	alias := types.NewTypeName(0, pkg, "Alias", nil)
	types.NewAlias(alias, named)
	scope.Insert(alias)
	// type Counter interface{ Count(xs ...Alias) Alias }, written with the alias
	sig := types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewVar(0, pkg, "xs", types.NewSlice(alias.Type()))),
		types.NewTuple(types.NewVar(0, pkg, "", alias.Type())), true)
	iface := types.NewInterfaceType([]*types.Func{types.NewFunc(0, pkg, "Count", sig)}, nil).Complete()
	counter := types.NewNamed(types.NewTypeName(0, pkg, "Counter", nil), iface, nil)
	scope.Insert(counter.Obj())
	// func Generic[T any](T) is skipped
	tp := types.NewTypeParam(types.NewTypeName(0, pkg, "T", nil), types.Universe.Lookup("any").Type())
	gsig := types.NewSignatureType(nil, nil, []*types.TypeParam{tp}, types.NewTuple(types.NewVar(0, pkg, "v", tp)), nil, false)
	scope.Insert(types.NewFunc(0, pkg, "Generic", gsig))

	src, err := generateOne(pkg, "example.com/p")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for _, want := range []string{
		`"Alias":   r.TypeOf((*p_p.Alias)(nil)).Elem()`,
		`"Counter": r.TypeOf((*P_example_com_p_Counter)(nil)).Elem()`,
		`Count_ func(interface{}, ...p_p.Count) p_p.Count`,
		`func (P *P_example_com_p_Counter) Count(a0 ...p_p.Count) p_p.Count {`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("generated code lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Generic") {
		t.Errorf("generic function bound:\n%s", s)
	}
}
