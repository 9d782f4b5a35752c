// Package builtins registers the few built-in Dapr components this project needs:
//   - secretstores.local.file: component metadata from secretKeyRef in the end-to-end tests;
//   - pubsub.mqtt3 and state.redis: the baselines the benchmarks compare against.
package builtins

import (
	mqtt3 "github.com/dapr/components-contrib/pubsub/mqtt3"
	"github.com/dapr/components-contrib/secretstores/local/file"
	"github.com/dapr/components-contrib/state/redis"
	pubsubLoader "github.com/dapr/dapr/pkg/components/pubsub"
	secretstoresLoader "github.com/dapr/dapr/pkg/components/secretstores"
	stateLoader "github.com/dapr/dapr/pkg/components/state"
)

func init() {
	secretstoresLoader.DefaultRegistry.RegisterComponent(file.NewLocalSecretStore, "local.file")
	pubsubLoader.DefaultRegistry.RegisterComponent(mqtt3.NewMQTTPubSub, "mqtt3", "mqtt")
	stateLoader.DefaultRegistry.RegisterComponent(redis.NewRedisStateStore, "redis")
}
