// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {JudgmentReward} from "../../contracts/JudgmentReward.sol";
import {IJudgmentReward} from "../../contracts/interfaces/IJudgmentReward.sol";
import {VoiceJudgeSmallVerifier} from "../../contracts/generated/VoiceJudgeSmallVerifier.sol";
import {vm} from "./Cheatcodes.sol";

/// @notice A voiceJudgeSmall proof, made by `npx hardhat zk prove --model voiceJudgeSmall --prover 0x..
/// --fixture artifacts-zk/voiceJudgeSmall/proofs/fixture.json`, checked against the generated
/// verifier and claimed from a JudgmentReward deployed here (`npm run test:solidity` makes the
/// fixture, then runs these tests).
contract VoiceJudgeSmallRewardTest {
    string private constant FIXTURE = "artifacts-zk/voiceJudgeSmall/proofs/fixture.json";
    uint256 private constant REWARD = 0.01 ether;
    address private constant FRONT_RUNNER = address(uint160(uint256(keccak256("front-runner"))));

    VoiceJudgeSmallVerifier private verifier;
    JudgmentReward private reward;
    bytes private proof;
    uint256[] private instances;
    address private recipient;
    uint256 private recipientIndex;
    uint256 private scoreIndex;

    function setUp() public {
        string memory json = vm.readFile(FIXTURE);
        proof = vm.parseJsonBytes(json, ".proof");
        instances = vm.parseJsonUintArray(json, ".instances");
        recipient = vm.parseJsonAddress(json, ".recipient");

        // The layout and commitment location come from the model's manifest, through the fixture.
        IJudgmentReward.InstanceLayout memory layout = IJudgmentReward.InstanceLayout({
            count: vm.parseJsonUint(json, ".layout.count"),
            recipientIndex: vm.parseJsonUint(json, ".layout.recipientIndex"),
            scoreIndex: vm.parseJsonUint(json, ".layout.scoreIndex"),
            scoreMin: vm.parseJsonInt(json, ".layout.scoreMin"),
            scoreMax: vm.parseJsonInt(json, ".layout.scoreMax")
        });
        IJudgmentReward.CommitmentLocation memory commitment = IJudgmentReward.CommitmentLocation({
            source: IJudgmentReward.CommitmentSource(vm.parseJsonUint(json, ".commitment.source")),
            at: vm.parseJsonUint(json, ".commitment.at"),
            length: vm.parseJsonUint(json, ".commitment.length")
        });
        recipientIndex = layout.recipientIndex;
        scoreIndex = layout.scoreIndex;
        // A threshold of 0.5: half of the fixed-point one.
        int256 threshold = vm.parseJsonInt(json, ".layout.scoreOne") / 2;

        verifier = new VoiceJudgeSmallVerifier();
        // Open mode, without domain binding: the proof binds the bare recipient address, so a
        // proof made before this contract's address is known can be claimed here.
        reward = new JudgmentReward(
            address(verifier),
            address(0),
            layout,
            commitment,
            address(0),
            false,
            IJudgmentReward.Deal({threshold: threshold, rewardAmount: REWARD, roundCap: 10 * REWARD}),
            3600
        );
        vm.deal(address(reward), 1 ether);
    }

    function test_verifierAcceptsTheProof() public {
        require(verifier.verifyProof(proof, instances), "the verifier returned false");
    }

    function test_verifierRejectsAChangedScore() public {
        uint256[] memory changed = instances;
        changed[scoreIndex] = changed[scoreIndex] + 1;
        vm.expectRevert();
        verifier.verifyProof(proof, changed);
    }

    function test_claimPaysTheBoundRecipient() public {
        uint256 before = recipient.balance;
        vm.prank(recipient);
        uint256 paid = reward.claim(recipient, proof, instances, REWARD);
        require(paid == REWARD, "claim returned another amount");
        require(recipient.balance == before + REWARD, "the recipient was not paid the reward");
    }

    function test_frontRunnerSubmittingTheProofPaysTheRecipientNotItself() public {
        uint256 recipientBefore = recipient.balance;
        uint256 frontRunnerBefore = FRONT_RUNNER.balance;
        vm.prank(FRONT_RUNNER);
        reward.claim(recipient, proof, instances, 0);
        require(recipient.balance == recipientBefore + REWARD, "the bound recipient was not paid");
        require(FRONT_RUNNER.balance == frontRunnerBefore, "the front-runner was paid");
    }

    function test_frontRunnerNamingItselfIsRefused() public {
        vm.expectRevert(
            abi.encodeWithSelector(IJudgmentReward.KeyMismatch.selector, uint256(uint160(FRONT_RUNNER)), instances[recipientIndex])
        );
        vm.prank(FRONT_RUNNER);
        reward.claim(FRONT_RUNNER, proof, instances, 0);
        require(FRONT_RUNNER.balance == 0, "the front-runner was paid");
    }

    function test_aRecordingIsPaidOnce() public {
        reward.claim(recipient, proof, instances, 0);
        bytes32 commitment = reward.commitmentOf(proof, instances);
        vm.expectRevert(abi.encodeWithSelector(IJudgmentReward.CommitmentAlreadyPaid.selector, commitment));
        reward.claim(recipient, proof, instances, 0);
    }
}
