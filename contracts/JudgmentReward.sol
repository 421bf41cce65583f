// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IHalo2ReusableVerifier, IHalo2Verifier} from "./interfaces/IHalo2Verifier.sol";

/// @title JudgmentReward
/// @notice Pays a reward for a good model judgment proven in zero knowledge. The payee is
/// the address the proof carries as a public instance, never the sender, so a copied
/// (front-run) claim still pays the prover and the copier gains nothing. Each proof is
/// usable once, and each address is paid at most once per round.
/// @dev Instance positions come from the model's manifest (artifacts-zk/<model>/manifest.json).
/// In domain-bound mode the proven key is not the address itself but
/// keccak256(chainid, this contract, recipient) mod r, so a proof made for one deployment
/// or chain is worthless on another.
contract JudgmentReward is Ownable, Pausable, ReentrancyGuard {
    /// @notice BN254 scalar field modulus: every public instance is below it.
    uint256 public constant FIELD_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice How the public instances of the model's proof are laid out.
    struct InstanceLayout {
        uint256 count;
        uint256 recipientIndex;
        uint256 scoreIndex;
        /// @dev The fixed-point value of a score of 1.0 (2^scale).
        uint256 scoreOne;
    }

    address public immutable verifier;
    /// @notice Verifying-key artifact for the reusable verifier; zero for a per-model verifier.
    address public immutable verifyingKey;
    bool public immutable domainBound;
    uint256 public immutable instanceCount;
    uint256 public immutable recipientIndex;
    uint256 public immutable scoreIndex;
    uint256 public immutable scoreOne;

    /// @notice Minimum score (fixed point, same scale as the proof) that earns the reward.
    uint256 public threshold;
    /// @notice Wei paid per successful claim.
    uint256 public rewardAmount;
    uint256 public round;

    mapping(bytes32 proofHash => bool) public proofUsed;
    mapping(uint256 round => mapping(address recipient => bool)) public paidInRound;

    event Funded(address indexed from, uint256 amount);
    event Claimed(address indexed recipient, address indexed submitter, uint256 indexed round, uint256 score, uint256 amount);
    event ThresholdChanged(uint256 threshold);
    event RewardChanged(uint256 rewardAmount);
    event RoundStarted(uint256 round);
    event Withdrawn(address indexed to, uint256 amount);

    error WrongInstanceCount(uint256 got, uint256 expected);
    error RecipientOutOfRange(uint256 instance);
    error ScoreOutOfRange(uint256 score, uint256 max);
    error ScoreBelowThreshold(uint256 score, uint256 threshold);
    error ProofAlreadyUsed(bytes32 proofHash);
    error AlreadyClaimed(address recipient, uint256 round);
    error InvalidProof();
    error DomainMismatch(uint256 expectedKey, uint256 provenKey);
    error WrongClaimMode(bool domainBound);
    error InsufficientFunds(uint256 balance, uint256 needed);
    error TransferFailed(address to, uint256 amount);

    /// @param verifier_ The model's Halo2 verifier (or the reusable verifier).
    /// @param verifyingKey_ VK artifact for the reusable verifier, or address(0).
    /// @param layout Instance positions and score scale from the model's manifest.
    /// @param domainBound_ Whether the proven key is the domain-bound key of the recipient.
    /// @param threshold_ Minimum score (fixed point).
    /// @param rewardAmount_ Wei per claim.
    constructor(
        address verifier_,
        address verifyingKey_,
        InstanceLayout memory layout,
        bool domainBound_,
        uint256 threshold_,
        uint256 rewardAmount_
    ) Ownable(msg.sender) {
        verifier = verifier_;
        verifyingKey = verifyingKey_;
        instanceCount = layout.count;
        recipientIndex = layout.recipientIndex;
        scoreIndex = layout.scoreIndex;
        scoreOne = layout.scoreOne;
        domainBound = domainBound_;
        threshold = threshold_;
        rewardAmount = rewardAmount_;
    }

    /// @notice Accepts funding for rewards.
    receive() external payable {
        emit Funded(msg.sender, msg.value);
    }

    /// @notice Claims the reward for a proven judgment. Pays the address bound in the proof.
    /// @param proof The Halo2 proof bytes.
    /// @param instances The proof's public instances (layout as in the manifest).
    /// @return recipient The address that was paid.
    function claim(bytes calldata proof, uint256[] calldata instances)
        external
        whenNotPaused
        nonReentrant
        returns (address recipient)
    {
        if (domainBound) revert WrongClaimMode(true);
        _checkCount(instances);
        uint256 key = instances[recipientIndex];
        if (key >> 160 != 0) revert RecipientOutOfRange(key);
        recipient = address(uint160(key));
        _settle(recipient, proof, instances);
    }

    /// @notice Claims in domain-bound mode: the proof's key must be domainKey(recipient).
    /// @param recipient The address to pay; a copier cannot change it without breaking the key.
    function claimFor(address recipient, bytes calldata proof, uint256[] calldata instances)
        external
        whenNotPaused
        nonReentrant
    {
        if (!domainBound) revert WrongClaimMode(false);
        _checkCount(instances);
        uint256 expected = domainKey(recipient);
        if (instances[recipientIndex] != expected) revert DomainMismatch(expected, instances[recipientIndex]);
        _settle(recipient, proof, instances);
    }

    /// @notice The key a prover proves in domain-bound mode for `recipient` on this chain and contract.
    function domainKey(address recipient) public view returns (uint256) {
        return uint256(keccak256(abi.encode(block.chainid, address(this), recipient))) % FIELD_MODULUS;
    }

    /// @notice Sets the minimum score that earns the reward.
    function setThreshold(uint256 threshold_) external onlyOwner {
        threshold = threshold_;
        emit ThresholdChanged(threshold_);
    }

    /// @notice Sets the wei paid per claim.
    function setRewardAmount(uint256 rewardAmount_) external onlyOwner {
        rewardAmount = rewardAmount_;
        emit RewardChanged(rewardAmount_);
    }

    /// @notice Starts a new round: every address may be paid once more.
    function startNewRound() external onlyOwner {
        emit RoundStarted(++round);
    }

    /// @notice Stops claims.
    function pause() external onlyOwner {
        _pause();
    }

    /// @notice Resumes claims.
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice Withdraws unused funds.
    function withdraw(address payable to, uint256 amount) external onlyOwner nonReentrant {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
        emit Withdrawn(to, amount);
    }

    function _checkCount(uint256[] calldata instances) private view {
        if (instances.length != instanceCount) revert WrongInstanceCount(instances.length, instanceCount);
    }

    function _settle(address recipient, bytes calldata proof, uint256[] calldata instances) private {
        uint256 score = instances[scoreIndex];
        if (score > scoreOne) revert ScoreOutOfRange(score, scoreOne);
        if (score < threshold) revert ScoreBelowThreshold(score, threshold);
        if (paidInRound[round][recipient]) revert AlreadyClaimed(recipient, round);
        bytes32 proofHash = keccak256(proof);
        if (proofUsed[proofHash]) revert ProofAlreadyUsed(proofHash);
        uint256 amount = rewardAmount;
        if (address(this).balance < amount) revert InsufficientFunds(address(this).balance, amount);

        _verify(proof, instances);

        proofUsed[proofHash] = true;
        paidInRound[round][recipient] = true;
        emit Claimed(recipient, msg.sender, round, score, amount);
        (bool ok,) = payable(recipient).call{value: amount}("");
        if (!ok) revert TransferFailed(recipient, amount);
    }

    /// @dev The verifier reverts (never returns false) on a bad proof; both become InvalidProof.
    function _verify(bytes calldata proof, uint256[] calldata instances) private {
        bool ok;
        if (verifyingKey == address(0)) {
            try IHalo2Verifier(verifier).verifyProof(proof, instances) returns (bool result) {
                ok = result;
            } catch {
                ok = false;
            }
        } else {
            try IHalo2ReusableVerifier(verifier).verifyProof(verifyingKey, proof, instances) returns (bool result) {
                ok = result;
            } catch {
                ok = false;
            }
        }
        if (!ok) revert InvalidProof();
    }
}
