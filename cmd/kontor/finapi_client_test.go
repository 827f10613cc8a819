package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/kontor-dev/kontor/finapi/finapiclient"
)

func ptr[T any](v T) *T { return &v }

// withBearer authorizes a generated client's request with a token.
func withBearer(token string) finapiclient.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// TestFinAPIGeneratedClient runs both seed flows, and the error cases a
// client must be able to read, with the Go client generated from Kontor's
// finAPI OpenAPI document: if the document and the server disagree, the
// typed responses stay empty.
func TestFinAPIGeneratedClient(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		ctx := context.Background()
		c, err := finapiclient.NewClientWithResponses(s.base + "/finapi")
		if err != nil {
			t.Fatal(err)
		}
		// Client token.
		tok, err := c.GetTokenWithFormdataBodyWithResponse(ctx, &finapiclient.GetTokenParams{XRequestId: ptr("gen-1")},
			finapiclient.GetTokenFormdataRequestBody{GrantType: "client_credentials", ClientId: &s.demoName, ClientSecret: &s.demoSecret})
		if err != nil || tok.JSON200 == nil {
			t.Fatalf("getToken: %v %d %s", err, tok.StatusCode(), tok.Body)
		}
		if tok.JSON200.TokenType != finapiclient.Bearer || tok.JSON200.Scope != finapiclient.All || tok.JSON200.ExpiresIn != 3599 ||
			tok.JSON200.RefreshToken != nil || tok.HTTPResponse.Header.Get("X-Request-Id") != "gen-1" {
			t.Fatalf("client token = %+v", tok.JSON200)
		}
		clientToken := tok.JSON200.AccessToken

		// Create a user as in the seed.
		created, err := c.CreateUserWithResponse(ctx, nil, finapiclient.UserCreateParams{
			Id: ptr("username"), Password: ptr("password"), Email: ptr("email@localhost.de"),
			Phone: ptr("+49 99 999999-999"), IsAutoUpdateEnabled: ptr(false),
		}, withBearer(clientToken))
		if err != nil || created.JSON201 == nil {
			t.Fatalf("createUser: %v %d %s", err, created.StatusCode(), created.Body)
		}
		if u := created.JSON201; u.Id != "username" || u.Password != "password" || *u.Email != "email@localhost.de" ||
			*u.Phone != "+49 99 999999-999" || u.IsAutoUpdateEnabled {
			t.Fatalf("created user = %+v", u)
		}
		dup, err := c.CreateUserWithResponse(ctx, nil, finapiclient.UserCreateParams{Id: ptr("USERNAME")}, withBearer(clientToken))
		if err != nil || dup.JSON422 == nil || dup.JSON422.Errors[0].Code != finapiclient.ENTITYEXISTS {
			t.Fatalf("duplicate createUser: %v %d %s", err, dup.StatusCode(), dup.Body)
		}
		bad, err := c.CreateUserWithResponse(ctx, nil, finapiclient.UserCreateParams{Id: ptr("no spaces")}, withBearer(clientToken))
		if err != nil || bad.JSON422 == nil || bad.JSON422.Errors[0].Code != finapiclient.ILLEGALFIELDVALUE {
			t.Fatalf("illegal id: %v %d %s", err, bad.StatusCode(), bad.Body)
		}

		// User token (V1 path), with a refresh token.
		utok, err := c.GetTokenV1WithFormdataBodyWithResponse(ctx, nil, finapiclient.GetTokenV1FormdataRequestBody{
			GrantType: "password", ClientId: &s.demoName, ClientSecret: &s.demoSecret, Username: ptr("username"), Password: ptr("password"),
		})
		if err != nil || utok.JSON200 == nil || utok.JSON200.RefreshToken == nil {
			t.Fatalf("getToken password: %v %d %s", err, utok.StatusCode(), utok.Body)
		}
		userToken := utok.JSON200.AccessToken
		me, err := c.GetAuthorizedUserWithResponse(ctx, nil, withBearer(userToken))
		if err != nil || me.JSON200 == nil || me.JSON200.Id != "username" || me.JSON200.Password != "XXXXX" {
			t.Fatalf("getAuthorizedUser: %v %d %s", err, me.StatusCode(), me.Body)
		}
		edited, err := c.EditAuthorizedUserWithResponse(ctx, nil, finapiclient.UserUpdateParams{IsAutoUpdateEnabled: ptr(true)}, withBearer(userToken))
		if err != nil || edited.JSON200 == nil || !edited.JSON200.IsAutoUpdateEnabled {
			t.Fatalf("editAuthorizedUser: %v %d %s", err, edited.StatusCode(), edited.Body)
		}

		// Errors the client reads: wrong role, bad token, bad client
		// credentials, bad user credentials.
		wrong, err := c.GetAuthorizedUserWithResponse(ctx, nil, withBearer(clientToken))
		if err != nil || wrong.JSON403 == nil || wrong.JSON403.Errors[0].Code != finapiclient.UNAUTHORIZEDACCESS {
			t.Fatalf("client token on getAuthorizedUser: %v %d %s", err, wrong.StatusCode(), wrong.Body)
		}
		badTok, err := c.GetAuthorizedUserWithResponse(ctx, nil, withBearer("not-a-token"))
		if err != nil || badTok.JSON401 == nil || badTok.JSON401.Error != "invalid_token" {
			t.Fatalf("bad token: %v %d %s", err, badTok.StatusCode(), badTok.Body)
		}
		badClient, err := c.GetTokenWithFormdataBodyWithResponse(ctx, nil, finapiclient.GetTokenFormdataRequestBody{
			GrantType: "client_credentials", ClientId: &s.demoName, ClientSecret: ptr("wrong-secret-wrong"),
		})
		if err != nil || badClient.JSON401 == nil || badClient.JSON401.Error != "invalid_client" {
			t.Fatalf("bad client credentials: %v %d %s", err, badClient.StatusCode(), badClient.Body)
		}
		badUser, err := c.GetTokenWithFormdataBodyWithResponse(ctx, nil, finapiclient.GetTokenFormdataRequestBody{
			GrantType: "password", ClientId: &s.demoName, ClientSecret: &s.demoSecret, Username: ptr("username"), Password: ptr("wrong"),
		})
		if err != nil || badUser.JSON400 == nil || badUser.JSON400.Error != "invalid_grant" {
			t.Fatalf("bad user credentials: %v %d %s", err, badUser.StatusCode(), badUser.Body)
		}

		// Process controller.
		procs, err := c.CreateProcessesWithResponse(ctx, nil, finapiclient.ProcessParams{
			ClientId: s.demoName, ClientSecret: s.demoSecret, ProcessId: "USER_ONLY",
			ClientReferences: []finapiclient.ClientReference{{ClientReference: "<customer-reference>"}, {ClientReference: "second"}},
		})
		if err != nil || procs.JSON200 == nil || len(procs.JSON200.Processes) != 2 || procs.JSON200.Processes[0].ClientReference != "<customer-reference>" {
			t.Fatalf("createProcesses: %v %d %s", err, procs.StatusCode(), procs.Body)
		}
		exchanged, err := c.GetProcessAccessTokenWithResponse(ctx, procs.JSON200.Processes[0].ProcessToken,
			&finapiclient.GetProcessAccessTokenParams{Invalidate: ptr(true)})
		if err != nil || exchanged.JSON200 == nil {
			t.Fatalf("getProcessAccessToken: %v %d %s", err, exchanged.StatusCode(), exchanged.Body)
		}
		hidden, err := c.GetAuthorizedUserWithResponse(ctx, nil, withBearer(exchanged.JSON200.AccessToken))
		if err != nil || hidden.JSON200 == nil {
			t.Fatalf("process user: %v %d %s", err, hidden.StatusCode(), hidden.Body)
		}
		spent, err := c.GetProcessAccessTokenWithResponse(ctx, procs.JSON200.Processes[0].ProcessToken, nil)
		if err != nil || spent.JSON404 == nil || spent.JSON404.Errors[0].Code != finapiclient.UNKNOWNENTITY {
			t.Fatalf("spent process token: %v %d %s", err, spent.StatusCode(), spent.Body)
		}
		other, err := c.CreateProcessesWithResponse(ctx, nil, finapiclient.ProcessParams{
			ClientId: s.demoName, ClientSecret: s.demoSecret, ProcessId: "FULL",
			ClientReferences: []finapiclient.ClientReference{{ClientReference: "x"}},
		})
		if err != nil || other.JSON422 == nil || other.JSON422.Errors[0].Code != finapiclient.ILLEGALFIELDVALUE {
			t.Fatalf("unknown processId: %v %d %s", err, other.StatusCode(), other.Body)
		}

		// Revoke and delete.
		revoked, err := c.RevokeTokenWithFormdataBodyWithResponse(ctx, nil, finapiclient.RevokeRequest{Token: exchanged.JSON200.AccessToken}, withBearer(clientToken))
		if err != nil || revoked.StatusCode() != http.StatusOK {
			t.Fatalf("revokeToken: %v %d %s", err, revoked.StatusCode(), revoked.Body)
		}
		if gone, _ := c.GetAuthorizedUserWithResponse(ctx, nil, withBearer(exchanged.JSON200.AccessToken)); gone.JSON401 == nil {
			t.Fatalf("revoked token still works: %d", gone.StatusCode())
		}
		deleted, err := c.DeleteAuthorizedUserWithResponse(ctx, nil, withBearer(userToken))
		if err != nil || deleted.StatusCode() != http.StatusOK {
			t.Fatalf("deleteAuthorizedUser: %v %d %s", err, deleted.StatusCode(), deleted.Body)
		}
		doc, err := c.GetOpenAPIWithResponse(ctx)
		if err != nil || doc.StatusCode() != http.StatusOK {
			t.Fatalf("getOpenAPI: %v", err)
		}
	})
}

// TestFinAPIOAuth2Client obtains and refreshes tokens with the standard
// golang.org/x/oauth2 client: client credentials, the password grant, and
// a refresh through a TokenSource once the access token has expired.
func TestFinAPIOAuth2Client(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *testServer) {
		ctx := context.Background()
		tokenURL := s.base + "/finapi/api/v2/oauth/token"
		for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInParams, oauth2.AuthStyleInHeader, oauth2.AuthStyleAutoDetect} {
			cc := clientcredentials.Config{ClientID: s.demoName, ClientSecret: s.demoSecret, TokenURL: tokenURL, AuthStyle: style}
			tok, err := cc.Token(ctx)
			if err != nil {
				t.Fatalf("client credentials (auth style %d): %v", style, err)
			}
			if !finapiTokenRE.MatchString(tok.AccessToken) || tok.Type() != "Bearer" || time.Until(tok.Expiry) < 59*time.Minute || tok.RefreshToken != "" {
				t.Fatalf("client token = %+v", tok)
			}
		}
		cc := clientcredentials.Config{ClientID: s.demoName, ClientSecret: s.demoSecret, TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams}
		res, err := cc.Client(ctx).Post(s.base+"/finapi/api/v2/users", "application/json",
			strings.NewReader(`{"id":"oauth-user","password":"oauth-password"}`))
		if err != nil || res.StatusCode != http.StatusCreated {
			t.Fatalf("create user through the oauth2 client: %v %v", err, res)
		}
		res.Body.Close()

		conf := oauth2.Config{ClientID: s.demoName, ClientSecret: s.demoSecret,
			Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams}}
		tok, err := conf.PasswordCredentialsToken(ctx, "oauth-user", "oauth-password")
		if err != nil {
			t.Fatal(err)
		}
		if tok.RefreshToken == "" || !tok.Valid() {
			t.Fatalf("user token = %+v", tok)
		}
		get := func(tok *oauth2.Token) int {
			t.Helper()
			res, err := conf.Client(ctx, tok).Get(s.base + "/finapi/api/v2/users")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		if code := get(tok); code != http.StatusOK {
			t.Fatalf("GET users with the user token: %d", code)
		}
		// Pretend the access token expired: the token source refreshes it
		// with the refresh token.
		old := *tok
		tok.Expiry = time.Now().Add(-time.Minute)
		fresh, err := conf.TokenSource(ctx, tok).Token()
		if err != nil {
			t.Fatal(err)
		}
		if fresh.AccessToken == old.AccessToken || fresh.RefreshToken != old.RefreshToken || !fresh.Valid() {
			t.Fatalf("refreshed token = %+v, from %+v", fresh, old)
		}
		if code := get(fresh); code != http.StatusOK {
			t.Fatalf("GET users with the refreshed token: %d", code)
		}
		old.Expiry = time.Now().Add(time.Hour) // keep the client from refreshing it
		if code := get(&old); code != http.StatusUnauthorized {
			t.Fatalf("the replaced access token answers %d, want 401", code)
		}

		// Errors arrive as RFC 6749 errors.
		_, err = conf.PasswordCredentialsToken(ctx, "oauth-user", "wrong-password")
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" || re.Response.StatusCode != http.StatusBadRequest {
			t.Fatalf("wrong password: %v", err)
		}
		bad := clientcredentials.Config{ClientID: s.demoName, ClientSecret: "wrong-secret-wrong", TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams}
		if _, err := bad.Token(ctx); !errors.As(err, &re) || re.ErrorCode != "invalid_client" || re.Response.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong client secret: %v", err)
		}
	})
}
