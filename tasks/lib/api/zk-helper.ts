import type { NetworkConnection } from "hardhat/types/network";
import type { ZkModelInputs, ZkModelName } from "../../types.js";
import type { ZkConfig } from "@hardhat-zkml/core/config-types.js";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { selectModels } from "@hardhat-zkml/core/select-models.js";
import { ZkModel } from "./zk-model.js";

/** `connection.zk`: the project's zk models on one network connection. */
export class ZkHelper {
  readonly #models = new Map<string, ZkModel<unknown>>();

  constructor(
    readonly config: ZkConfig,
    readonly root: string,
    readonly connection: NetworkConnection<string>,
  ) {}

  /** A model by its name in `zk.models` (an unknown name is a ZkError listing the known ones). */
  model<N extends ZkModelName>(name: N): ZkModel<ZkModelInputs<N>> {
    let model = this.#models.get(name);
    if (model === undefined) {
      if ((name as string) === "") throw new ZkError("zk.model needs a model name from zk.models");
      const [config] = selectModels(this.config, name);
      model = new ZkModel(config!, this.root, this.config.artifactsDir, this.connection);
      this.#models.set(name, model);
    }
    return model as ZkModel<ZkModelInputs<N>>;
  }

  /** Stops the provers' worker threads (also done when the connection closes). */
  async close(): Promise<void> {
    const models = [...this.#models.values()];
    this.#models.clear();
    await Promise.all(models.map((m) => m.close()));
  }
}
