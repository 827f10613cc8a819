// Package finapiclient is a Go client of Kontor's finAPI dialect,
// generated from its OpenAPI document (../openapi.yaml). Tests use it to
// check that the document describes what the server does; regenerate it
// with "go generate" after changing the document.
package finapiclient

//go:generate go tool oapi-codegen -config config.yaml -o finapiclient.gen.go ../openapi.yaml
