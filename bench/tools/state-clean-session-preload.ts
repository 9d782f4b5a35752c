/**
 * Measures a proposed change without editing the code under test: preloaded into the component
 * (`BENCH_COMPONENT_NODE_ARGS="--import dist/bench/tools/state-clean-session-preload.js"`), it
 * opens the state store's MQTT connection (client id `...-state`) with a clean session, so the
 * broker does not persist each reply for it (bench/README.md, "B4").
 */
import { MqttClient } from 'mqtt';

const proto = MqttClient.prototype as unknown as { connect(this: MqttClient): MqttClient };
const connect = proto.connect;
proto.connect = function patchedConnect(this: MqttClient): MqttClient {
  if (this.options.clientId?.endsWith('-state')) this.options.clean = true;
  return connect.call(this);
};
