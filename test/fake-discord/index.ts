export {
  FakeDiscord,
  fakeToken,
  type FakeInteraction,
  type InteractOptions,
  type RecordedRequest,
  type SayOptions,
  type ShownMessage,
} from "./server.ts";
export { Permission, MEMBER_PERMISSIONS, type MessageJSON, type UserJSON } from "./entities.ts";
export { EPHEMERAL, InteractionCallbackType } from "./routes.ts";
export { parseMultipart, type MultipartPart } from "./multipart.ts";
export { Op } from "./gateway.ts";
