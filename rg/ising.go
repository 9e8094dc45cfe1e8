package rg

// TcIsing is the critical temperature of the 2D Ising model, 2/ln(1+√2)
// (docs/references/ising2d.md §1).
const TcIsing = 2.269185314213022
