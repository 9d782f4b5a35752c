// Command daprd is the Dapr sidecar as released upstream (github.com/dapr/dapr/cmd/daprd/app),
// built with only the built-in components this project's tests and benchmarks use.
// Pluggable-component support is part of the runtime itself and needs no registration.
//
// Upstream's cmd/daprd/components package refuses to build without the allcomponents or
// stablecomponents tag (its zz_notag.go panics); scripts/install-dapr.sh removes that one file
// with `go build -overlay`, so app.Run runs unchanged and only what is imported here is compiled.
package main

import (
	"github.com/dapr/dapr/cmd/daprd/app"

	_ "dapr-mqtt-pluggable/daprd/builtins"
)

func main() {
	app.Run()
}
