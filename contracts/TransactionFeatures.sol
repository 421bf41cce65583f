// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title TransactionFeatures
/// @notice On-chain data source for the fraudScore model: the features of one pending
/// transaction, read by the ezkl data attester at verification time.
/// @dev features() returns int256[] as the attester expects: amount in wei (18 decimals),
/// hour of day, merchant risk (0-100) and transactions in the last 24 hours (0 decimals).
contract TransactionFeatures is Ownable {
    int256[4] private _features;

    event FeaturesChanged(int256 amountWei, int256 hourOfDay, int256 merchantRisk, int256 txLast24h);

    constructor(int256[4] memory initial) Ownable(msg.sender) {
        _features = initial;
    }

    /// @notice The current features, in the order the model takes them.
    function features() external view returns (int256[] memory out) {
        out = new int256[](4);
        for (uint256 i; i < 4; i++) out[i] = _features[i];
    }

    /// @notice Updates the features (e.g. a new pending transaction).
    function setFeatures(int256[4] calldata next) external onlyOwner {
        _features = next;
        emit FeaturesChanged(next[0], next[1], next[2], next[3]);
    }
}
