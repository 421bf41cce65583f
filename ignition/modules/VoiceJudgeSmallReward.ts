import { judgeRewardModule } from "./judge-reward.js";

/** npx hardhat ignition deploy ignition/modules/VoiceJudgeSmallReward.ts --parameters <file> */
export default judgeRewardModule("voiceJudgeSmall", "single");
