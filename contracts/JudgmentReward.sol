// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IHalo2ReusableVerifier, IHalo2Verifier} from "./interfaces/IHalo2Verifier.sol";
import {IJudgmentReward} from "./interfaces/IJudgmentReward.sol";

/// @title JudgmentReward
/// @notice Pays a reward for a good model judgment proven in zero knowledge, once per
/// recording: the proof commits to the model's private features (an input commitment the
/// contract reads from the proof), and each commitment is paid at most once, whoever claims.
/// The payee is bound in the proof, so a copied (front-run) claim still pays the prover.
/// @dev Two modes. Attested: every claim carries the attester's EIP-712 signature over
/// (commitment, recipient, round, deadline), so a crafted input the attester never saw cannot
/// be paid. Open (attester = address(0)): any input that scores above the threshold is paid
/// once; see README's threat model. By default the proven key is
/// keccak256(chainid, this contract, recipient, round) mod r (domain binding).
/// The deal of the open round (threshold, reward, payout cap, and the funds to honour the
/// cap) cannot change: changes are scheduled for the next round, and a round lasts at least
/// `minRoundSeconds`.
contract JudgmentReward is IJudgmentReward, Ownable2Step, EIP712 {
    /// @notice BN254 scalar field modulus: every public instance is below it.
    uint256 public constant FIELD_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @notice Felts above this are negative fixed-point values (felt - r).
    uint256 private constant HALF_FIELD = FIELD_MODULUS / 2;
    /// @notice Recipients at or below this address are refused (zero and the precompile range).
    uint160 public constant MAX_RESERVED_ADDRESS = 0xffff;
    /// @notice A verifier failure that leaves at most 1/OUT_OF_GAS_DIVISOR of the gas this
    /// contract had before the call is reported as VerifierOutOfGas (see _verify).
    uint256 public constant OUT_OF_GAS_DIVISOR = 32;
    bytes32 public constant ATTESTATION_TYPEHASH =
        keccak256("Attestation(bytes32 commitment,address recipient,uint256 round,uint256 deadline)");

    address public immutable verifier;
    /// @notice Verifying-key artifact for the reusable verifier; zero for a per-model verifier.
    address public immutable verifyingKey;
    /// @notice Signs each claim in attested mode; zero in open mode.
    address public immutable attester;
    bool public immutable domainBound;
    uint256 public immutable instanceCount;
    uint256 public immutable recipientIndex;
    uint256 public immutable scoreIndex;
    /// @notice Bounds of a valid score (signed fixed point at the proof's scale).
    int256 public immutable scoreMin;
    int256 public immutable scoreMax;
    CommitmentSource public immutable commitmentSource;
    /// @notice Byte offset in the proof (ProofBytes) or instance index (Instance).
    uint256 public immutable commitmentAt;
    /// @notice Length in bytes of the commitment in the proof (ProofBytes only).
    uint256 public immutable commitmentLength;
    /// @notice A round cannot end sooner: the time a claimant has under one deal.
    uint256 public immutable minRoundSeconds;

    /// @dev One slot, written once per claim.
    struct RoundState {
        uint64 number;
        uint64 startedAt;
        uint120 paid;
        bool paused;
    }

    /// @dev One slot, read once per claim.
    struct PackedDeal {
        int64 threshold;
        uint96 rewardAmount;
        uint96 roundCap;
    }

    RoundState private _round;
    PackedDeal private _deal;
    PackedDeal private _nextDeal;

    /// @notice Commitments already paid (each recording pays once, ever). This is the only
    /// per-claim storage write besides the round's running total: a per-address limit would
    /// cost another 22k gas per claim and bind nothing, since fresh addresses are free.
    mapping(bytes32 commitment => bool) public commitmentPaid;

    /// @param verifier_ The model's Halo2 verifier (or the reusable verifier).
    /// @param verifyingKey_ VK artifact for the reusable verifier, or address(0).
    /// @param layout Instance positions and score bounds, from the model's manifest.
    /// @param commitment Where the input commitment sits, from the model's manifest.
    /// @param attester_ The attester (EOA or ERC-1271 contract), or address(0) for open mode.
    /// @param domainBound_ Whether the proven key is domainKey(recipient) rather than the address.
    /// @param deal Threshold, reward and per-round payout cap of round 0.
    /// @param minRoundSeconds_ Shortest round.
    constructor(
        address verifier_,
        address verifyingKey_,
        InstanceLayout memory layout,
        CommitmentLocation memory commitment,
        address attester_,
        bool domainBound_,
        Deal memory deal,
        uint256 minRoundSeconds_
    ) Ownable(msg.sender) EIP712("JudgmentReward", "1") {
        if (verifier_.code.length == 0) revert NoCodeAt(verifier_);
        if (verifyingKey_ != address(0) && verifyingKey_.code.length == 0) revert NoCodeAt(verifyingKey_);
        if (layout.count == 0 || layout.recipientIndex >= layout.count || layout.scoreIndex >= layout.count) {
            revert BadInstanceLayout();
        }
        if (layout.recipientIndex == layout.scoreIndex) revert BadInstanceLayout();
        if (layout.scoreMin >= layout.scoreMax || layout.scoreMin < type(int64).min || layout.scoreMax > type(int64).max) {
            revert BadScoreRange(layout.scoreMin, layout.scoreMax);
        }
        if (commitment.source == CommitmentSource.ProofBytes) {
            if (commitment.length == 0) revert BadCommitmentLocation();
        } else if (commitment.at >= layout.count || commitment.at == layout.recipientIndex || commitment.at == layout.scoreIndex) {
            revert BadCommitmentLocation();
        }
        if (minRoundSeconds_ > type(uint64).max) revert ValueTooLarge(minRoundSeconds_);
        verifier = verifier_;
        verifyingKey = verifyingKey_;
        attester = attester_;
        domainBound = domainBound_;
        instanceCount = layout.count;
        recipientIndex = layout.recipientIndex;
        scoreIndex = layout.scoreIndex;
        scoreMin = layout.scoreMin;
        scoreMax = layout.scoreMax;
        commitmentSource = commitment.source;
        commitmentAt = commitment.at;
        commitmentLength = commitment.length;
        minRoundSeconds = minRoundSeconds_;
        PackedDeal memory packed = _pack(deal);
        _deal = packed;
        _nextDeal = packed;
        _round.startedAt = uint64(block.timestamp);
        emit RoundStarted(0, deal.threshold, deal.rewardAmount, deal.roundCap);
    }

    /// @notice Accepts funding for rewards.
    receive() external payable {
        emit Funded(msg.sender, msg.value);
    }

    /// @inheritdoc IJudgmentReward
    function claim(address recipient, bytes calldata proof, uint256[] calldata instances, uint256 minReward)
        external
        returns (uint256)
    {
        if (attester != address(0)) revert AttestationRequired();
        Checked memory c = _check(recipient, proof, instances, minReward);
        _pay(recipient, proof, instances, c);
        return c.amount;
    }

    /// @inheritdoc IJudgmentReward
    function claimAttested(
        address recipient,
        bytes calldata proof,
        uint256[] calldata instances,
        uint256 minReward,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256) {
        if (attester == address(0)) revert NoAttester();
        if (block.timestamp > deadline) revert AttestationExpired(deadline);
        Checked memory c = _check(recipient, proof, instances, minReward);
        bytes32 digest = attestationDigest(c.commitment, recipient, c.round, deadline);
        if (!SignatureChecker.isValidSignatureNow(attester, digest, signature)) revert InvalidAttestation();
        _pay(recipient, proof, instances, c);
        return c.amount;
    }

    /// @inheritdoc IJudgmentReward
    function attestationDigest(bytes32 commitment, address recipient, uint256 round_, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(ATTESTATION_TYPEHASH, commitment, recipient, round_, deadline)));
    }

    /// @inheritdoc IJudgmentReward
    function domainKey(address recipient) public view returns (uint256) {
        return uint256(keccak256(abi.encode(block.chainid, address(this), recipient, uint256(_round.number)))) % FIELD_MODULUS;
    }

    /// @inheritdoc IJudgmentReward
    function commitmentOf(bytes calldata proof, uint256[] calldata instances) public view returns (bytes32) {
        if (commitmentSource == CommitmentSource.Instance) return bytes32(instances[commitmentAt]);
        uint256 end = commitmentAt + commitmentLength;
        if (proof.length < end) revert InvalidProof();
        return keccak256(proof[commitmentAt:end]);
    }

    /// @inheritdoc IJudgmentReward
    function scoreOf(uint256 felt) public pure returns (int256) {
        if (felt >= FIELD_MODULUS) revert NotAFieldElement(felt);
        return felt > HALF_FIELD ? -int256(FIELD_MODULUS - felt) : int256(felt);
    }

    // ------------------------------------------------------------------ views

    /// @notice The current round number.
    function round() external view returns (uint256) {
        return _round.number;
    }

    /// @notice When the current round started, and the earliest time it can end.
    function roundTimes() external view returns (uint256 startedAt, uint256 earliestEnd) {
        startedAt = _round.startedAt;
        earliestEnd = startedAt + minRoundSeconds;
    }

    /// @notice Wei paid so far in the current round.
    function paidThisRound() external view returns (uint256) {
        return _round.paid;
    }

    /// @notice Whether claims are stopped.
    function paused() external view returns (bool) {
        return _round.paused;
    }

    /// @notice The deal of the current round.
    function currentDeal() external view returns (Deal memory) {
        return _unpack(_deal);
    }

    /// @notice The deal the next round will start with.
    function nextDeal() external view returns (Deal memory) {
        return _unpack(_nextDeal);
    }

    /// @notice The current round's minimum score (signed fixed point).
    function threshold() external view returns (int256) {
        return _deal.threshold;
    }

    /// @notice The current round's wei per claim.
    function rewardAmount() external view returns (uint256) {
        return _deal.rewardAmount;
    }

    /// @notice Wei the open round may still pay out: held back from withdrawal.
    function reserved() public view returns (uint256) {
        uint256 cap = _deal.roundCap;
        uint256 paid = _round.paid;
        return cap > paid ? cap - paid : 0;
    }

    // ------------------------------------------------------------------ owner

    /// @notice Schedules the threshold for the next round (signed fixed point, within the score bounds).
    function setThreshold(int256 threshold_) external onlyOwner {
        _checkThreshold(threshold_);
        emit ThresholdScheduled(_nextDeal.threshold, threshold_, _round.number + 1);
        _nextDeal.threshold = int64(threshold_);
    }

    /// @notice Schedules the wei paid per claim for the next round.
    function setRewardAmount(uint256 rewardAmount_) external onlyOwner {
        if (rewardAmount_ > type(uint96).max) revert ValueTooLarge(rewardAmount_);
        if (rewardAmount_ > _nextDeal.roundCap) revert RewardAboveRoundCap(rewardAmount_, _nextDeal.roundCap);
        emit RewardScheduled(_nextDeal.rewardAmount, rewardAmount_, _round.number + 1);
        _nextDeal.rewardAmount = uint96(rewardAmount_);
    }

    /// @notice Schedules the most wei the next round may pay in total.
    function setRoundCap(uint256 roundCap_) external onlyOwner {
        if (roundCap_ > type(uint96).max) revert ValueTooLarge(roundCap_);
        if (roundCap_ < _nextDeal.rewardAmount) revert RewardAboveRoundCap(_nextDeal.rewardAmount, roundCap_);
        emit RoundCapScheduled(_nextDeal.roundCap, roundCap_, _round.number + 1);
        _nextDeal.roundCap = uint96(roundCap_);
    }

    /// @notice Ends the current round (no sooner than minRoundSeconds after it started) and
    /// starts the next under the scheduled deal. Unclaimed domain-bound proofs and attestations
    /// of the old round expire with it.
    function startNewRound() external onlyOwner {
        RoundState memory r = _round;
        uint256 earliestEnd = uint256(r.startedAt) + minRoundSeconds;
        if (block.timestamp < earliestEnd) revert RoundStillOpen(earliestEnd);
        PackedDeal memory next = _nextDeal;
        _deal = next;
        _round = RoundState({number: r.number + 1, startedAt: uint64(block.timestamp), paid: 0, paused: r.paused});
        emit RoundStarted(r.number + 1, next.threshold, next.rewardAmount, next.roundCap);
    }

    /// @notice Stops claims (the open round's reserve stays held).
    function pause() external onlyOwner {
        _round.paused = true;
        emit Paused(msg.sender);
    }

    /// @notice Resumes claims.
    function unpause() external onlyOwner {
        _round.paused = false;
        emit Unpaused(msg.sender);
    }

    /// @notice Withdraws funds beyond the open round's reserve (its cap minus what it paid).
    /// To withdraw everything: schedule a cap of 0, start the next round, then withdraw.
    function withdraw(address payable to, uint256 amount) external onlyOwner {
        uint256 available = address(this).balance - _min(reserved(), address(this).balance);
        if (amount > available) revert WithdrawalAboveAvailable(amount, available);
        emit Withdrawn(to, amount);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
    }

    /// @notice Refused while the contract holds funds, so they can never be locked without an owner.
    function renounceOwnership() public override onlyOwner {
        if (address(this).balance != 0) revert FundsHeld(address(this).balance);
        super.renounceOwnership();
    }

    // ------------------------------------------------------------------ claim internals

    /// @dev What a claim's checks established, for the payment that follows.
    struct Checked {
        bytes32 commitment;
        uint256 amount;
        int256 score;
        uint64 round;
        uint120 paidBefore;
    }

    /// @dev Every check that needs no signature or proof verification, cheapest first.
    function _check(address recipient, bytes calldata proof, uint256[] calldata instances, uint256 minReward)
        private
        view
        returns (Checked memory c)
    {
        RoundState memory r = _round;
        if (r.paused) revert EnforcedPause();
        if (uint160(recipient) <= MAX_RESERVED_ADDRESS) revert RecipientNotAllowed(recipient);
        // The reward paying itself would spend the round's cap and keep the funds; the verifier
        // and the VK artifact cannot receive ETH, so paying them would only burn the claim.
        if (recipient == address(this)) revert RecipientIsRewardContract(recipient);
        if (recipient == verifier) revert RecipientIsVerifier(recipient);
        if (recipient == verifyingKey) revert RecipientIsVerifyingKey(recipient);
        if (instances.length != instanceCount) revert WrongInstanceCount(instances.length, instanceCount);
        uint256 key = domainBound ? domainKey(recipient) : uint256(uint160(recipient));
        if (instances[recipientIndex] != key) revert KeyMismatch(key, instances[recipientIndex]);

        PackedDeal memory deal = _deal;
        c.score = scoreOf(instances[scoreIndex]);
        if (c.score < scoreMin || c.score > scoreMax) revert ScoreOutOfRange(c.score, scoreMin, scoreMax);
        if (c.score < deal.threshold) revert ScoreBelowThreshold(c.score, deal.threshold);

        c.commitment = commitmentOf(proof, instances);
        if (commitmentPaid[c.commitment]) revert CommitmentAlreadyPaid(c.commitment);
        c.amount = deal.rewardAmount;
        if (c.amount < minReward) revert RewardBelowMinimum(c.amount, minReward);
        if (r.paid + c.amount > deal.roundCap) revert RoundCapReached(r.paid, deal.roundCap);
        if (address(this).balance < c.amount) revert InsufficientFunds(address(this).balance, c.amount);
        c.round = r.number;
        c.paidBefore = r.paid;
    }

    /// @dev Verifies the proof, then records and pays (checks, effects, interactions).
    function _pay(address recipient, bytes calldata proof, uint256[] calldata instances, Checked memory c) private {
        _verify(proof, instances);
        commitmentPaid[c.commitment] = true;
        _round.paid = uint120(c.paidBefore + c.amount);
        emit Claimed(recipient, msg.sender, c.round, c.commitment, c.score, c.amount);
        (bool ok,) = payable(recipient).call{value: c.amount}("");
        if (!ok) revert TransferFailed(recipient, c.amount);
    }

    /// @dev The verifier reverts (never returns false) on a bad proof, and also when it runs out
    /// of gas: both revert with empty data, so the gas left afterwards tells them apart.
    ///
    /// Why a bound of gasBefore / 32, not / 64: the verifier is a leaf contract that calls only
    /// precompiles (ecAdd, ecMul, modexp, the pairing) with all its gas but the 1/64 a CALL keeps
    /// back. Two levels keep a share each. This call keeps at most gasBefore / 64; if a precompile
    /// inside the verifier runs out (the pairing check, the last and costliest step, is the usual
    /// one), the verifier keeps 1/64 of what it had then, at most (63/64)(gasBefore / 64), and
    /// reverts with it. Out of gas anywhere therefore leaves at most
    /// gasBefore * (1/64 + 63/4096) < gasBefore / 32 here. Measured on voiceJudgeSmall's verifier
    /// (claim estimate 750,589 gas): with / 64, every valid claim sent 40k-100k gas below the
    /// estimate reverted InvalidProof; with / 32, each one from 30k to 500k below reverts
    /// VerifierOutOfGas (10k-20k below, the verifier passes and the claim runs out after it).
    /// The price: an invalid proof that runs the whole verifier but leaves less than 1/32 here
    /// (measured: sent 20k-30k below the estimate) is reported as VerifierOutOfGas; its client
    /// retries with more gas and then sees InvalidProof. A minimum-gasleft() check before the
    /// call would need each verifier's measured cost as a constructor parameter, which the
    /// Ignition module cannot supply (it deploys verifier and reward together, before any proof
    /// exists to measure with); this bound needs nothing from the deployer.
    function _verify(bytes calldata proof, uint256[] calldata instances) private {
        uint256 gasBefore = gasleft();
        bool ok;
        if (verifyingKey == address(0)) {
            try IHalo2Verifier(verifier).verifyProof(proof, instances) returns (bool result) {
                ok = result;
            } catch {
                _failed(gasBefore);
            }
        } else {
            try IHalo2ReusableVerifier(verifier).verifyProof(verifyingKey, proof, instances) returns (bool result) {
                ok = result;
            } catch {
                _failed(gasBefore);
            }
        }
        if (!ok) revert InvalidProof();
    }

    function _failed(uint256 gasBefore) private view {
        if (gasleft() <= gasBefore / OUT_OF_GAS_DIVISOR) revert VerifierOutOfGas(gasBefore);
        revert InvalidProof();
    }

    function _checkThreshold(int256 threshold_) private view {
        if (threshold_ < scoreMin || threshold_ > scoreMax) revert ThresholdOutOfRange(threshold_, scoreMin, scoreMax);
    }

    function _pack(Deal memory deal) private view returns (PackedDeal memory) {
        _checkThreshold(deal.threshold);
        if (deal.rewardAmount > type(uint96).max) revert ValueTooLarge(deal.rewardAmount);
        if (deal.roundCap > type(uint96).max) revert ValueTooLarge(deal.roundCap);
        if (deal.rewardAmount > deal.roundCap) revert RewardAboveRoundCap(deal.rewardAmount, deal.roundCap);
        return PackedDeal(int64(deal.threshold), uint96(deal.rewardAmount), uint96(deal.roundCap));
    }

    function _unpack(PackedDeal memory p) private pure returns (Deal memory) {
        return Deal(p.threshold, p.rewardAmount, p.roundCap);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
