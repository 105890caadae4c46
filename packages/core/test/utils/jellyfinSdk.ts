/**
 * Typed access to the few parts of the real @jellyfin/sdk the tests use. The SDK's declaration
 * files use extension-less relative imports, which TypeScript's NodeNext resolution cannot follow,
 * so its own types arrive as `unknown`; the runtime modules load fine.
 */
import * as Sdk from "@jellyfin/sdk"
import * as AuthenticationApi from "@jellyfin/sdk/lib/utils/api/authentication-api.js"
import * as UserApi from "@jellyfin/sdk/lib/utils/api/user-api.js"

interface SdkResponse<A> {
  readonly status: number
  readonly data: A
}

export interface SdkApi {
  readonly authorizationHeader: string
  update(data: { readonly accessToken?: string }): void
}

export interface SdkClientInfo {
  readonly name: string
  readonly version: string
}

export interface SdkDeviceInfo {
  readonly name: string
  readonly id: string
}

const sdk = Sdk as unknown as {
  readonly Jellyfin: new(parameters: { clientInfo: SdkClientInfo; deviceInfo: SdkDeviceInfo }) => {
    createApi(basePath: string, accessToken?: string): SdkApi
  }
  readonly utils: {
    getAuthorizationHeader(clientInfo: SdkClientInfo, deviceInfo: SdkDeviceInfo, accessToken?: string): string
  }
}

export const Jellyfin = sdk.Jellyfin

export const getAuthorizationHeader = sdk.utils.getAuthorizationHeader

export const authenticateUserByName = (
  api: SdkApi,
  username: string,
  password: string
): Promise<SdkResponse<{ readonly AccessToken?: string } & Record<string, unknown>>> =>
  (AuthenticationApi as unknown as {
    getAuthenticationApi(api: SdkApi): {
      authenticateUserByName(params: { authenticateUserByName: { Username: string; Pw: string } }): Promise<never>
    }
  }).getAuthenticationApi(api).authenticateUserByName({ authenticateUserByName: { Username: username, Pw: password } })

export const getCurrentUser = (api: SdkApi): Promise<SdkResponse<Record<string, unknown>>> =>
  (UserApi as unknown as { getUserApi(api: SdkApi): { getCurrentUser(): Promise<never> } }).getUserApi(api).getCurrentUser()

interface SdkQuickConnectApi {
  initiateQuickConnect(): Promise<never>
  getQuickConnectState(params: { secret: string }): Promise<never>
  authenticateWithQuickConnect(params: { quickConnectDto: { Secret: string } }): Promise<never>
}

const quickConnectApi = (api: SdkApi): SdkQuickConnectApi =>
  (AuthenticationApi as unknown as { getAuthenticationApi(api: SdkApi): SdkQuickConnectApi }).getAuthenticationApi(api)

export const initiateQuickConnect = (
  api: SdkApi
): Promise<SdkResponse<{ readonly Code: string; readonly Secret: string; readonly Authenticated: boolean }>> =>
  quickConnectApi(api).initiateQuickConnect()

export const authenticateWithQuickConnect = (
  api: SdkApi,
  secret: string
): Promise<SdkResponse<{ readonly AccessToken?: string } & Record<string, unknown>>> =>
  quickConnectApi(api).authenticateWithQuickConnect({ quickConnectDto: { Secret: secret } })
