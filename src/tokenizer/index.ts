/** Public surface of the tokenizers: import from here. */
export type {
  EncodeResult,
  Tokenizer,
  TokenizerJSON,
  TokenizerKind,
  CharTokenizerJSON,
  BpeTokenizerJSON,
  CharBpeTokenizerJSON,
} from "./tokenizer.ts";
export { tokenizerFromJSON } from "./from-json.ts";
export { END_OF_TEXT } from "./special.ts";
export { CharTokenizer, trainCharTokenizer, charTokenizerFromJSON, type CharTrainOptions } from "./char.ts";
export { BpeTokenizer, trainBpeTokenizer, bpeTokenizerFromJSON, type BpeTrainOptions } from "./bpe.ts";
export { BPE_EOT_ID, FIRST_MERGE_ID } from "./bpe-ids.ts";
export { splitIntoChunks, SPLITTER_NAME } from "./chunks.ts";
export {
  CharBpeTokenizer,
  trainCharBpeTokenizer,
  charBpeTokenizerFromJSON,
  chooseCharacters,
  FIRST_CHARACTER_ID,
  DEFAULT_CHARACTER_COVERAGE,
  type CharBpeTrainOptions,
} from "./char-bpe.ts";
export { tokenPieces, partialCharacterShare, bytesOfToken, type TokenPiece } from "./pieces.ts";
