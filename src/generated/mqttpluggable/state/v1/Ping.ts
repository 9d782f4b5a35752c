// Original file: proto/mqttpluggable/state/v1/state_protocol.proto


export interface Ping {
}

export interface Ping__Output {
}
