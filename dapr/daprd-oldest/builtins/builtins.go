// Package builtins registers the one built-in Dapr component the end-to-end core needs on the
// oldest release: secretstores.local.file (component metadata from secretKeyRef).
package builtins

import (
	"github.com/dapr/components-contrib/secretstores/local/file"
	secretstoresLoader "github.com/dapr/dapr/pkg/components/secretstores"
)

func init() {
	secretstoresLoader.DefaultRegistry.RegisterComponent(file.NewLocalSecretStore, "local.file")
}
