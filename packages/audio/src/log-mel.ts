import type { FeatureSpec } from "./feature-spec.js";
import { melSpectrogram, type Spectrogram } from "./melspectrogram.js";
import { powerToDb } from "./power-to-db.js";

/** librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr, ...), ref=np.max), in dB. */
export function logMelSpectrogram(y: Float32Array, spec: FeatureSpec): Spectrogram {
  return powerToDb(melSpectrogram(y, spec.sampleRate, spec.nFft, spec.hopLength, spec.nMels), spec.amin, spec.topDb);
}
