import { Contract, Interface, isError, type ContractTransactionReceipt, type InterfaceAbi, type Signer } from "ethers";
import { ZkError } from "@hardhat-zkml/core/errors.js";
import { claimProblem, claimRefusal } from "./claim-refusal.js";
import type { JobRecord } from "./job-types.js";
import type { SpendLedger } from "./relayer-spend.js";

/** What a relayed claim did on chain. */
export interface RelayedClaim {
  txHash: string;
  blockNumber: number;
  recipient: string;
  /** Paid to the recipient, in wei (decimal). */
  amount: string;
  gasUsed: string;
  /** Paid by the relayer for gas, in wei (decimal). */
  gasCostWei: string;
}

/** A succeeded job's claim, ready to send: the reward it was proved for and the call the result carries. */
export interface ClaimToRelay {
  reward: string;
  claim: { function: string; args: (string | string[])[] };
  /** The fixed-point scale of the score, to say a refusal's numbers as decimals. */
  scoreScale?: number;
}

/** The claim a job's result carries, or a 409 in words when it has none (yet). */
export function claimOfJob(job: JobRecord): ClaimToRelay {
  if (job.status !== "succeeded" || job.result === undefined)
    throw claimProblem(409, "not-claimable", "not claimable", `job ${job.id} is ${job.status}; claim once it has succeeded`);
  const { claim, judgment, instances } = job.result;
  if (job.request.reward === undefined || claim === undefined || judgment === undefined)
    throw claimProblem(
      409,
      "not-claimable",
      "not claimable",
      `job ${job.id} was not proved for this server's reward; there is nothing to claim`,
    );
  const score = BigInt(judgment.scoreFelt);
  return {
    reward: job.request.reward.address,
    claim,
    scoreScale: instances.find((i) => i.address === undefined && i.source === "output" && BigInt(i.felt) === score)?.scale,
  };
}

export interface RelayerOptions {
  /** The relayer's account, connected to the reward's chain (ZK_RELAYER_KEY). */
  signer: Signer;
  /** JudgmentReward's ABI (its claim functions, round(), Claimed and its errors). */
  rewardAbi: InterfaceAbi;
  ledger: SpendLedger;
  /** Gas the relayer may pay per reward round, in wei (ZK_RELAYER_BUDGET_WEI). */
  budgetWei: bigint;
  /** How long to wait for the claim's confirmation (default 120 s). */
  confirmTimeoutMs?: number;
}

const CONFIRM_TIMEOUT_MS = 120_000;

/**
 * Sends claims for recipients from the relayer's account, so a singer needs no ETH: each claim
 * is simulated first (a refusal is a problem in words, and costs nothing), checked against the
 * round's gas budget, sent and confirmed. Claims run one at a time, so the account's nonces
 * never collide and the budget is never overspent by claims racing each other (in this process;
 * give each API process its own relayer key when the API is scaled out).
 */
export class ClaimRelayer {
  readonly #o: RelayerOptions;
  readonly #iface: Interface;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly address: string,
    o: RelayerOptions,
  ) {
    this.#o = o;
    this.#iface = new Interface(o.rewardAbi);
  }

  static async create(o: RelayerOptions): Promise<ClaimRelayer> {
    if (o.signer.provider === null) throw new ZkError("the relayer's account has no provider; connect it to the reward's network");
    return new ClaimRelayer(await o.signer.getAddress(), o);
  }

  relay(c: ClaimToRelay): Promise<RelayedClaim> {
    const run = this.#tail.then(() => this.#relay(c));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #relay(c: ClaimToRelay): Promise<RelayedClaim> {
    const { signer, ledger, budgetWei } = this.#o;
    const reward = new Contract(c.reward, this.#iface, signer);
    const send = reward.getFunction(c.claim.function);
    const refused = (e: unknown) => claimRefusal(e, this.#iface, c.scoreScale);
    let gas: bigint;
    let round: bigint;
    let price: bigint;
    try {
      round = (await reward.getFunction("round")()) as bigint;
      gas = await send.estimateGas(...c.claim.args);
      const fee = await signer.provider!.getFeeData();
      price = fee.maxFeePerGas ?? fee.gasPrice ?? 0n;
    } catch (e) {
      throw refused(e);
    }
    const gasLimit = gas + gas / 5n;
    const bucket = `${c.reward.toLowerCase()}:${round}`;
    const spent = await ledger.spent(bucket);
    if (spent + gasLimit * price > budgetWei) {
      throw claimProblem(
        429,
        "relayer-budget-spent",
        "relayer budget spent",
        `the relayer has spent its gas budget for round ${round} of this reward (${spent} of ${budgetWei} wei); claim with your own wallet, or wait for the next round`,
      );
    }
    let receipt: ContractTransactionReceipt;
    let txHash: string | undefined;
    try {
      const tx = await send(...c.claim.args, { gasLimit });
      txHash = tx.hash;
      receipt = (await tx.wait(1, this.#o.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS)) as ContractTransactionReceipt;
    } catch (e) {
      if (isError(e, "TIMEOUT") && txHash !== undefined) {
        // It may still be mined: its most possible cost counts against the budget.
        await ledger.add(bucket, gasLimit * price);
        throw claimProblem(
          504,
          "claim-unconfirmed",
          "claim unconfirmed",
          `the claim was sent (transaction ${txHash}) but not confirmed in time; look it up before claiming again`,
        );
      }
      // A mined claim that reverted still cost its gas.
      if (isError(e, "CALL_EXCEPTION") && e.receipt !== null && e.receipt !== undefined)
        await ledger.add(bucket, e.receipt.gasUsed * e.receipt.gasPrice);
      throw refused(e);
    }
    const cost = receipt.gasUsed * receipt.gasPrice;
    await ledger.add(bucket, cost);
    const claimed = receipt.logs.map((log) => this.#iface.parseLog(log)).find((l) => l?.name === "Claimed");
    return {
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      recipient: String(claimed?.args[0] ?? c.claim.args[0]),
      amount: String(claimed?.args[5] ?? 0n),
      gasUsed: receipt.gasUsed.toString(),
      gasCostWei: cost.toString(),
    };
  }
}
