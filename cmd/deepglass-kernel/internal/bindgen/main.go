// Command bindgen writes the gomacro bindings of the packages compiled into the
// deepglass kernel: one file per package in ../bindings, registering every exported
// function, variable, constant and type (and a proxy per interface, so interpreted types
// can implement it) in gomacro's imports.Packages. Run it with `go generate` in
// ../bindings; TestBindingsUpToDate fails when the files are stale.
//
// Type aliases are resolved to their targets (types.Unalias) before any inspection, so
// the generator reads the same type graph whether go/types materializes aliases
// (gotypesalias=1, the only mode from Go 1.27) or not; the kernel's own fix for
// gomacro's converter is in internal/interp.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/constant"
	"go/format"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cosmos72/gomacro/base/untyped"
	"golang.org/x/tools/go/packages"
)

// Package is one package compiled into the kernel.
type Package struct {
	Path string // Go import path
	As   string // path under which interpreted code imports it; Path if empty
}

// Packages compiled into the kernel. Adding a package is one line here and
// `go generate ./cmd/deepglass-kernel/...`.
var Packages = []Package{
	{Path: "github.com/deepglass/deepglass/models"},
	{Path: "github.com/deepglass/deepglass/sampler"},
	{Path: "github.com/deepglass/deepglass/sampler/cbench"},
	{Path: "github.com/deepglass/deepglass/sampler/packed"},
	{Path: "github.com/deepglass/deepglass/sampler/rbmsample"},
	{Path: "github.com/deepglass/deepglass/analysis"},
	{Path: "github.com/deepglass/deepglass/analysis/plot"},
	{Path: "github.com/deepglass/deepglass/analysis/mi"},
	{Path: "github.com/deepglass/deepglass/sim"},
	{Path: "github.com/deepglass/deepglass/sim/figures"},
	{Path: "github.com/deepglass/deepglass/learn"},
	{Path: "github.com/deepglass/deepglass/rg"},
	{Path: "github.com/deepglass/deepglass/rg/netrg"},
	{Path: "github.com/deepglass/deepglass/nets/meanfield"},
	{Path: "github.com/deepglass/deepglass/spectra"},
	{Path: "github.com/deepglass/deepglass/npy"},
	{Path: "github.com/deepglass/deepglass/landscape"},
	{Path: "github.com/deepglass/deepglass/nets"},
	{Path: "github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/display", As: "display"},
	{Path: "gonum.org/v1/plot"},
	{Path: "gonum.org/v1/plot/plotter"},
	{Path: "gonum.org/v1/plot/vg"},
	{Path: "gonum.org/v1/plot/vg/draw"},
	{Path: "gonum.org/v1/plot/plotutil"},
}

// bindingsPkg is the import path of the generated package.
const bindingsPkg = "github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/bindings"

func main() {
	out := flag.String("out", ".", "directory of the bindings package")
	flag.Parse()
	files, err := Generate(Packages)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bindgen:", err)
		os.Exit(1)
	}
	old, _ := filepath.Glob(filepath.Join(*out, "zz_*.go"))
	for _, f := range old {
		if _, ok := files[filepath.Base(f)]; !ok {
			os.Remove(f)
		}
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bindgen:", err)
			os.Exit(1)
		}
	}
}

// FileName is the name of the generated file of an import path.
func FileName(path string) string {
	r := strings.NewReplacer("/", "_", ".", "_", "-", "_")
	return "zz_" + r.Replace(path) + ".go"
}

// Generate returns the generated files by name.
func Generate(pkgs []Package) (map[string][]byte, error) {
	var paths []string
	for _, p := range pkgs {
		paths = append(paths, p.Path)
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedImports | packages.NeedDeps, Dir: root}
	loaded, err := packages.Load(cfg, paths...)
	if err != nil {
		return nil, err
	}
	byPath := map[string]*packages.Package{}
	for _, lp := range loaded {
		if len(lp.Errors) > 0 {
			return nil, fmt.Errorf("%s: %v", lp.PkgPath, lp.Errors[0])
		}
		byPath[lp.PkgPath] = lp
	}
	files := map[string][]byte{}
	for _, p := range pkgs {
		lp := byPath[p.Path]
		if lp == nil {
			return nil, fmt.Errorf("package %s not loaded", p.Path)
		}
		as := p.As
		if as == "" {
			as = p.Path
		}
		src, err := generateOne(lp.Types, as)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Path, err)
		}
		files[FileName(p.Path)] = src
	}
	return files, nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside a module")
	}
	return filepath.Dir(mod), nil
}

type gen struct {
	pkg     *types.Package
	imports map[string]string // path → local name
	names   map[string]bool
	proxies bytes.Buffer
}

// qualifier names packages in generated code, recording the imports it needs.
func (g *gen) qualifier(p *types.Package) string {
	if name, ok := g.imports[p.Path()]; ok {
		return name
	}
	base := "p_" + sanitize(p.Name())
	name := base
	for i := 2; g.names[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	g.imports[p.Path()], g.names[name] = name, true
	return name
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}

// importable reports whether generated code in the bindings package can name every
// package that t mentions (no internal package of another tree, no unexported type).
func importable(t types.Type) bool {
	ok := true
	var visit func(t types.Type)
	seen := map[types.Type]bool{}
	visit = func(t types.Type) {
		t = types.Unalias(t)
		if !ok || seen[t] {
			return
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Named:
			obj := t.Obj()
			if obj.Pkg() != nil {
				if !obj.Exported() || !visiblePath(obj.Pkg().Path()) {
					ok = false
				}
			}
			if t.TypeArgs().Len() > 0 {
				ok = false
			}
		case *types.Pointer:
			visit(t.Elem())
		case *types.Slice:
			visit(t.Elem())
		case *types.Array:
			visit(t.Elem())
		case *types.Map:
			visit(t.Key())
			visit(t.Elem())
		case *types.Chan:
			visit(t.Elem())
		case *types.Signature:
			for _, tup := range []*types.Tuple{t.Params(), t.Results()} {
				for i := 0; i < tup.Len(); i++ {
					visit(tup.At(i).Type())
				}
			}
		case *types.Struct:
			for i := 0; i < t.NumFields(); i++ {
				if !t.Field(i).Exported() {
					ok = false
				}
				visit(t.Field(i).Type())
			}
		case *types.Interface:
			for i := 0; i < t.NumMethods(); i++ {
				if !t.Method(i).Exported() {
					ok = false
				}
				visit(t.Method(i).Type())
			}
		case *types.TypeParam:
			ok = false
		}
	}
	visit(t)
	return ok
}

func visiblePath(path string) bool {
	i := strings.LastIndex(path, "/internal/")
	if i < 0 {
		if strings.HasSuffix(path, "/internal") {
			i = len(path) - len("/internal")
		} else {
			return true
		}
	}
	return strings.HasPrefix(bindingsPkg, path[:i]+"/")
}

func generateOne(pkg *types.Package, as string) ([]byte, error) {
	g := &gen{pkg: pkg, imports: map[string]string{}, names: map[string]bool{"r": true, "imports": true}}
	self := g.qualifier(pkg)
	var binds, typs, proxies, untypeds, wrappers []string
	scope := pkg.Scope()
	for _, name := range scope.Names() { // sorted
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.Func:
			if obj.Type().(*types.Signature).TypeParams().Len() > 0 {
				continue // generic: the interpreter cannot import it
			}
			binds = append(binds, fmt.Sprintf("%q: r.ValueOf(%s.%s),", name, self, name))
		case *types.Var:
			binds = append(binds, fmt.Sprintf("%q: r.ValueOf(&%s.%s).Elem(),", name, self, name))
		case *types.Const:
			if b, ok := types.Unalias(obj.Type()).(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
				s := untyped.Marshal(untyped.GoUntypedToKind(b.Kind()), obj.Val())
				if s == "" {
					continue
				}
				untypeds = append(untypeds, fmt.Sprintf("%q: %q,", name, s))
				// gomacro reads an untyped constant only if Binds has it too (with its
				// default type, as gomacro's own generator writes it; integers beyond
				// int64 as uint64).
				expr := self + "." + name
				if b.Info()&types.IsInteger != 0 {
					if _, exact := constant.Int64Val(obj.Val()); !exact {
						expr = "uint64(" + expr + ")"
					}
				}
				binds = append(binds, fmt.Sprintf("%q: r.ValueOf(%s),", name, expr))
				continue
			}
			if obj.Val().Kind() == constant.Unknown {
				continue
			}
			binds = append(binds, fmt.Sprintf("%q: r.ValueOf(%s.%s),", name, self, name))
		case *types.TypeName:
			if tn, ok := obj.Type().(interface{ TypeParams() *types.TypeParamList }); ok && tn.TypeParams().Len() > 0 {
				continue // generic type
			}
			t := types.Unalias(obj.Type())
			if n, ok := t.(*types.Named); ok && n.TypeArgs().Len() > 0 {
				continue // alias of an instantiated generic type
			}
			if obj.IsAlias() && !importable(t) {
				continue
			}
			typs = append(typs, fmt.Sprintf("%q: r.TypeOf((*%s.%s)(nil)).Elem(),", name, self, name))
			if iface, ok := t.Underlying().(*types.Interface); ok && !obj.IsAlias() {
				if p := g.proxy(name, obj.Type(), iface); p != "" {
					proxies = append(proxies, fmt.Sprintf("%q: r.TypeOf((*%s)(nil)).Elem(),", name, p))
				}
			}
			if n, ok := t.(*types.Named); ok && !obj.IsAlias() {
				if w := promoted(n); len(w) > 0 {
					wrappers = append(wrappers, fmt.Sprintf("%q: {%s},", name, quoteAll(w)))
				}
			}
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by bindgen from %s; DO NOT EDIT.\n\npackage bindings\n\nimport (\n\tr \"reflect\"\n\n\t\"github.com/cosmos72/gomacro/imports\"\n", pkg.Path())
	var paths []string
	for p := range g.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(&b, "\t%s %q\n", g.imports[p], p)
	}
	fmt.Fprintf(&b, ")\n\nfunc init() {\n\timports.Packages[%q] = imports.Package{\n\t\tName: %q,\n", as, pkg.Name())
	section := func(head string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(&b, "\t\t%s{\n", head)
		for _, l := range lines {
			fmt.Fprintf(&b, "\t\t\t%s\n", l)
		}
		b.WriteString("\t\t},\n")
	}
	section("Binds: map[string]r.Value", binds)
	section("Types: map[string]r.Type", typs)
	section("Proxies: map[string]r.Type", proxies)
	section("Untypeds: map[string]string", untypeds)
	section("Wrappers: map[string][]string", wrappers)
	b.WriteString("\t}\n}\n")
	b.Write(g.proxies.Bytes())
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gofmt generated code: %w\n%s", err, b.Bytes())
	}
	return src, nil
}

// proxy writes a struct implementing the interface through function fields, which
// gomacro fills with interpreted methods; it returns the struct's name, or "" when the
// interface cannot be proxied (unexported methods or types).
func (g *gen) proxy(name string, named types.Type, iface *types.Interface) string {
	if iface.NumMethods() == 0 || !importable(iface) {
		return ""
	}
	pname := "P_" + sanitize(shortPath(g.pkg.Path())) + "_" + name
	var fields, methods bytes.Buffer
	for i := 0; i < iface.NumMethods(); i++ { // sorted like reflect's methods
		m := iface.Method(i)
		sig := m.Type().(*types.Signature)
		var params, args []string
		for j := 0; j < sig.Params().Len(); j++ {
			t := g.typeString(sig.Params().At(j).Type())
			a := fmt.Sprintf("a%d", j)
			if sig.Variadic() && j == sig.Params().Len()-1 {
				t = "..." + g.typeString(types.Unalias(sig.Params().At(j).Type()).(*types.Slice).Elem())
				a += "..."
			}
			params = append(params, t)
			args = append(args, a)
		}
		var results []string
		for j := 0; j < sig.Results().Len(); j++ {
			results = append(results, g.typeString(sig.Results().At(j).Type()))
		}
		res := strings.Join(results, ", ")
		if len(results) > 1 {
			res = "(" + res + ")"
		}
		fmt.Fprintf(&fields, "\t%s_ func(%s) %s\n", m.Name(), strings.Join(append([]string{"interface{}"}, params...), ", "), res)
		var named []string
		for j, p := range params {
			named = append(named, fmt.Sprintf("a%d %s", j, p))
		}
		ret := "return "
		if len(results) == 0 {
			ret = ""
		}
		fmt.Fprintf(&methods, "func (P *%s) %s(%s) %s {\n\t%sP.%s_(%s)\n}\n", pname, m.Name(), strings.Join(named, ", "), res, ret, m.Name(),
			strings.Join(append([]string{"P.Object"}, args...), ", "))
	}
	fmt.Fprintf(&g.proxies, "\n// %s implements %s with interpreted methods.\ntype %s struct {\n\tObject interface{}\n%s}\n\n%s", pname, types.TypeString(named, g.qualifier), pname, fields.Bytes(), methods.Bytes())
	return pname
}

// typeString spells a type in generated code with every alias resolved to its target,
// so proxies never depend on how go/types represents aliases.
func (g *gen) typeString(t types.Type) string {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		if t.Obj().Pkg() == nil {
			return t.Obj().Name() // error
		}
		return g.qualifier(t.Obj().Pkg()) + "." + t.Obj().Name()
	case *types.Pointer:
		return "*" + g.typeString(t.Elem())
	case *types.Slice:
		return "[]" + g.typeString(t.Elem())
	case *types.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), g.typeString(t.Elem()))
	case *types.Map:
		return "map[" + g.typeString(t.Key()) + "]" + g.typeString(t.Elem())
	case *types.Chan:
		prefix := map[types.ChanDir]string{types.SendRecv: "chan ", types.SendOnly: "chan<- ", types.RecvOnly: "<-chan "}[t.Dir()]
		return prefix + g.typeString(t.Elem())
	case *types.Signature:
		var ps, rs []string
		for i := 0; i < t.Params().Len(); i++ {
			s := g.typeString(t.Params().At(i).Type())
			if t.Variadic() && i == t.Params().Len()-1 {
				s = "..." + g.typeString(types.Unalias(t.Params().At(i).Type()).(*types.Slice).Elem())
			}
			ps = append(ps, s)
		}
		for i := 0; i < t.Results().Len(); i++ {
			rs = append(rs, g.typeString(t.Results().At(i).Type()))
		}
		res := strings.Join(rs, ", ")
		if len(rs) > 1 {
			res = "(" + res + ")"
		}
		return strings.TrimSpace("func(" + strings.Join(ps, ", ") + ") " + res)
	case *types.Interface:
		if t.NumMethods() == 0 && t.NumEmbeddeds() == 0 {
			return "interface{}"
		}
	}
	return types.TypeString(t, g.qualifier)
}

// promoted lists the methods of *T promoted from embedded fields: gomacro needs them
// to tell wrapper methods from declared ones.
func promoted(n *types.Named) []string {
	if _, ok := n.Underlying().(*types.Struct); !ok {
		return nil
	}
	ms := types.NewMethodSet(types.NewPointer(n))
	var out []string
	for i := 0; i < ms.Len(); i++ {
		sel := ms.At(i)
		if sel.Obj().Exported() && len(sel.Index()) > 1 {
			out = append(out, sel.Obj().Name())
		}
	}
	sort.Strings(out)
	return out
}

// shortPath is the last two elements of an import path: unique among the bound
// packages and short enough for proxy names.
func shortPath(path string) string {
	parts := strings.Split(path, "/")
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, "/")
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
