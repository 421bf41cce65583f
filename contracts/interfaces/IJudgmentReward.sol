// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice The claim side of JudgmentReward: types, events and errors.
interface IJudgmentReward {
    /// @notice How the public instances of the model's proof are laid out.
    struct InstanceLayout {
        uint256 count;
        uint256 recipientIndex;
        uint256 scoreIndex;
        /// @dev Bounds of a valid score, signed fixed point at the proof's scale
        /// (a probability at scale s: [0, 2^s]; a logit: symmetric around 0).
        int256 scoreMin;
        int256 scoreMax;
    }

    /// @notice Where the commitment to the model's private input is read.
    enum CommitmentSource {
        /// @dev keccak256 of proof[at : at + length]: ezkl `polycommit` inputs (KZG points).
        ProofBytes,
        /// @dev The public instance at index `at`: ezkl `hashed` inputs (Poseidon).
        Instance
    }

    struct CommitmentLocation {
        CommitmentSource source;
        uint256 at;
        uint256 length;
    }

    /// @notice What a round pays: minimum score (signed fixed point), wei per claim, wei per round.
    struct Deal {
        int256 threshold;
        uint256 rewardAmount;
        uint256 roundCap;
    }

    event Funded(address indexed from, uint256 amount);
    event Claimed(
        address indexed recipient,
        address indexed submitter,
        uint256 indexed round,
        bytes32 commitment,
        int256 score,
        uint256 amount
    );
    event ThresholdScheduled(int256 oldThreshold, int256 newThreshold, uint256 fromRound);
    event RewardScheduled(uint256 oldRewardAmount, uint256 newRewardAmount, uint256 fromRound);
    event RoundCapScheduled(uint256 oldRoundCap, uint256 newRoundCap, uint256 fromRound);
    event RoundStarted(uint256 indexed round, int256 threshold, uint256 rewardAmount, uint256 roundCap);
    event Paused(address account);
    event Unpaused(address account);
    event Withdrawn(address indexed to, uint256 amount);

    error NoCodeAt(address account);
    error BadInstanceLayout();
    error BadScoreRange(int256 scoreMin, int256 scoreMax);
    error BadCommitmentLocation();
    error ValueTooLarge(uint256 value);
    error ThresholdOutOfRange(int256 threshold, int256 scoreMin, int256 scoreMax);
    error RewardAboveRoundCap(uint256 rewardAmount, uint256 roundCap);
    error WrongInstanceCount(uint256 got, uint256 expected);
    error RecipientNotAllowed(address recipient);
    /// @notice The recipient is this reward contract: it would pay itself out of the round's cap.
    error RecipientIsRewardContract(address recipient);
    /// @notice The recipient is the reward's verifier.
    error RecipientIsVerifier(address recipient);
    /// @notice The recipient is the reward's verifying-key artifact.
    error RecipientIsVerifyingKey(address recipient);
    error KeyMismatch(uint256 expectedKey, uint256 provenKey);
    error NotAFieldElement(uint256 value);
    error ScoreOutOfRange(int256 score, int256 scoreMin, int256 scoreMax);
    error ScoreBelowThreshold(int256 score, int256 threshold);
    error CommitmentAlreadyPaid(bytes32 commitment);
    error RewardBelowMinimum(uint256 rewardAmount, uint256 minReward);
    error RoundCapReached(uint256 paid, uint256 roundCap);
    error InsufficientFunds(uint256 balance, uint256 needed);
    error InvalidProof();
    error VerifierOutOfGas(uint256 gasAvailable);
    error AttestationRequired();
    error NoAttester();
    error AttestationExpired(uint256 deadline);
    error InvalidAttestation();
    error EnforcedPause();
    error RoundStillOpen(uint256 earliestEnd);
    error WithdrawalAboveAvailable(uint256 amount, uint256 available);
    error FundsHeld(uint256 balance);
    error TransferFailed(address to, uint256 amount);

    /// @notice Open mode: claims the reward for a proven judgment, paid to `recipient`, the
    /// address the proof binds (directly, or through domainKey). Reverts unless the current
    /// round's reward is at least `minReward`.
    function claim(address recipient, bytes calldata proof, uint256[] calldata instances, uint256 minReward)
        external
        returns (uint256 amount);

    /// @notice Attested mode: as claim, with the attester's EIP-712 signature over
    /// Attestation(commitment, recipient, round, deadline).
    function claimAttested(
        address recipient,
        bytes calldata proof,
        uint256[] calldata instances,
        uint256 minReward,
        uint256 deadline,
        bytes calldata signature
    ) external returns (uint256 amount);

    /// @notice The EIP-712 digest the attester signs.
    function attestationDigest(bytes32 commitment, address recipient, uint256 round, uint256 deadline)
        external
        view
        returns (bytes32);

    /// @notice The key a prover proves for `recipient` in domain-bound mode: keccak256(chainid,
    /// this contract, recipient, current round) mod r.
    function domainKey(address recipient) external view returns (uint256);

    /// @notice The input commitment a proof carries (what is paid once).
    function commitmentOf(bytes calldata proof, uint256[] calldata instances) external view returns (bytes32);

    /// @notice A score felt read as signed fixed point.
    function scoreOf(uint256 felt) external pure returns (int256);
}
