/**
 * The parts of the Engine API's container inspect answer that safedock reads. Every field may be
 * missing or null: engines of different versions (and Podman) fill different subsets.
 */
import type { ContainerConfig, EndpointIpamConfig, HostConfig } from './create-body.js';

type Loose<T> = { [K in keyof T]?: T[K] | null };

export interface InspectEndpoint {
  IPAMConfig?: EndpointIpamConfig | null;
  Links?: string[] | null;
  Aliases?: string[] | null;
  MacAddress?: string;
  DriverOpts?: Record<string, string> | null;
  IPAddress?: string;
  NetworkID?: string;
}

export interface ContainerInspect {
  Id: string;
  Name?: string;
  Image?: string;
  State?: { Status?: string; Running?: boolean; Pid?: number; ExitCode?: number } | null;
  Config?: Loose<ContainerConfig> | null;
  HostConfig?: Loose<HostConfig> | null;
  NetworkSettings?: { Networks?: Record<string, InspectEndpoint> | null } | null;
  Mounts?: Array<{
    Type?: string;
    Name?: string;
    Source?: string;
    Destination?: string;
    RW?: boolean;
    Driver?: string;
  }> | null;
}
