// Command daprd is the Dapr sidecar of the oldest release this project is tested against
// (github.com/dapr/dapr/cmd/daprd/app unchanged), built with only the built-in components the
// end-to-end core needs; see ../daprd/main.go for how scripts/install-dapr.sh builds it.
package main

import (
	"github.com/dapr/dapr/cmd/daprd/app"

	_ "dapr-mqtt-pluggable/daprd-oldest/builtins"
)

func main() {
	app.Run()
}
