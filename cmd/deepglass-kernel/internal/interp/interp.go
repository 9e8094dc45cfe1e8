// Package interp is the Go language of the deepglass kernel: gomacro's fast
// interpreter with the packages registered by internal/bindings, the gophernotes
// `display` package pre-imported and a top-level Display function.
package interp

import (
	"errors"
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/cosmos72/gomacro/ast2"
	"github.com/cosmos72/gomacro/base"
	"github.com/cosmos72/gomacro/fast"
	xr "github.com/cosmos72/gomacro/xreflect"

	"github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/display"
	"github.com/deepglass/deepglass/cmd/deepglass-kernel/internal/jupyter"
)

// Interp evaluates cells; it implements jupyter.Evaluator.
type Interp struct {
	ir *fast.Interp
	mu sync.Mutex // one cell at a time
}

// New starts an interpreter. Packages must already be registered (import
// internal/bindings for its side effect).
func New() (*Interp, error) {
	reflectionOnly()
	ir := fast.New()
	g := ir.Comp.CompGlobals
	// errors and panics come back to Execute instead of being printed
	g.Options &^= base.OptTrapPanic | base.OptShowPrompt | base.OptShowEval | base.OptShowEvalType
	// gomacro's own chatter (skipped generic declarations of imported packages) is
	// not the notebook's output
	g.Stdout, g.Stderr = io.Discard, io.Discard
	e := &Interp{ir: ir}
	if _, err := e.run(`import "display"`); err != nil {
		return nil, fmt.Errorf("import display: %w", err)
	}
	ir.DeclFunc("Display", display.Display)
	return e, nil
}

// Execute implements jupyter.Evaluator.
func (e *Interp) Execute(code string, out jupyter.Output) (*jupyter.Bundle, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	display.SetPublisher(func(d display.Data) error {
		out.Display(Bundle(d))
		return nil
	})
	defer display.SetPublisher(nil)
	display.BeginCell()
	vals, err := e.run(code)
	if err != nil || len(vals) == 0 {
		return nil, err
	}
	return render(vals)
}

// render turns a cell's values into its result. Rendering calls the values' own methods
// (String, PNG, SVG), which may run interpreted code: a panic there is the cell's
// error, never the kernel's.
func render(vals []interface{}) (b *jupyter.Bundle, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, evalError(r)
		}
	}()
	if len(vals) == 1 {
		d := Bundle(display.Auto(vals[0]))
		return &d, nil
	}
	var parts []string
	for _, v := range vals {
		parts = append(parts, fmt.Sprint(v))
	}
	return &jupyter.Bundle{Data: map[string]any{display.MIMETypeText: strings.Join(parts, " ")}}, nil
}

// run evaluates code and returns the values of its last statement when that is an
// expression (as gophernotes does).
func (e *Interp) run(code string) (vals []interface{}, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = evalError(r)
		}
	}()
	c := e.ir.Comp
	c.CompGlobals.Line = 0
	c.CompGlobals.Filepath = "cell" // errors read cell:LINE:COL
	nodes := c.CompGlobals.ParseBytes([]byte(code))
	form := ast2.AnyToAst(nodes, "cell")
	if form == nil {
		return nil, nil
	}
	expr := e.ir.CompileAst(form)
	results, _ := e.ir.RunExpr(expr)
	if len(nodes) == 0 {
		return nil, nil
	}
	last, ok := nodes[len(nodes)-1].(ast.Expr)
	if !ok || isPrint(last) {
		return nil, nil
	}
	for _, v := range results {
		vals = append(vals, valueOf(v))
	}
	return vals, nil
}

// isPrint reports whether e is a call of fmt.Print, Printf, Println or Display, whose
// results (bytes written, error) are noise after the output itself.
func isPrint(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	if id, ok := call.Fun.(*ast.Ident); ok {
		return id.Name == "Display"
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "fmt" && (sel.Sel.Name == "Print" || sel.Sel.Name == "Printf" || sel.Sel.Name == "Println")
}

func valueOf(v xr.Value) interface{} {
	if !v.IsValid() {
		return nil
	}
	rv := v.ReflectValue()
	if !rv.CanInterface() {
		return rv.String()
	}
	return rv.Interface()
}

func evalError(r interface{}) *jupyter.EvalError {
	if s, ok := r.(base.Signal); ok && s == base.SigInterrupt {
		return &jupyter.EvalError{Name: "interrupted", Value: "cell interrupted (kernel still running)"}
	}
	name := "error"
	var re runtime.Error
	switch x := r.(type) {
	case error:
		if errors.As(x, &re) {
			name = "runtime error"
		}
	case string:
		name = "panic"
	}
	msg := strings.TrimSpace(fmt.Sprint(r))
	return &jupyter.EvalError{Name: name, Value: msg, Traceback: []string{name + ": " + msg}}
}

// Bundle converts a display bundle to the protocol's.
func Bundle(d display.Data) jupyter.Bundle {
	b := jupyter.Bundle{Data: map[string]any(d.Data), Metadata: map[string]any(d.Metadata)}
	if b.Data == nil {
		b.Data = map[string]any{}
	}
	return b
}

// Interrupt implements jupyter.Evaluator: interpreted code stops at its next step, and
// the cell's display.Context is cancelled, which stops the compiled deepglass calls
// given it; other compiled calls finish first.
func (e *Interp) Interrupt() {
	display.InterruptCell()
	e.ir.Interrupt(os.Interrupt)
}

// IsComplete implements jupyter.Evaluator by balancing brackets and literals.
func (e *Interp) IsComplete(code string) (string, string) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	incomplete := false
	s.Init(fset.AddFile("cell", -1, len(code)), []byte(code), func(pos token.Position, msg string) {
		if strings.Contains(msg, "not terminated") {
			incomplete = true
		}
	}, 0)
	depth := 0
	for {
		_, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		}
	}
	switch {
	case depth < 0:
		return "invalid", ""
	case depth > 0:
		return "incomplete", strings.Repeat("\t", depth)
	case incomplete:
		return "incomplete", ""
	}
	return "complete", ""
}

// Complete implements jupyter.Evaluator with gomacro's completer (globals, imported
// packages and their members, fields and methods).
func (e *Interp) Complete(code string, cursor int) (matches []string, start, end int) {
	defer func() {
		if recover() != nil {
			matches, start, end = nil, cursor, cursor
		}
	}()
	head, completions, tail := e.ir.CompleteWords(code[:cursor], cursor)
	_ = tail
	// completions replace code[len(head):cursor]
	return completions, len(head), cursor
}
