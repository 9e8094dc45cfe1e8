// Package modeltest provides conformance checks that every [models.Model] passes.
package modeltest
