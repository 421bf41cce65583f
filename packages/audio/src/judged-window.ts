/** The window of a recording the judge hears: librosa.load(offset=0.5, duration=3) in seed 000. No imports: the gate and a page use it. */
export const JUDGE_OFFSET_SECONDS = 0.5;
export const JUDGE_DURATION_SECONDS = 3;
