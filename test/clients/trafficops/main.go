// Command to-session drives Portcullis with the stock Traffic Ops v4 Go client
// (github.com/apache/trafficcontrol/v8 traffic_ops/v4-client, v8.0.2), as an operator's tool
// would: log in with a user name and password, create a hard CDN lock, list it (filtered and
// unfiltered), delete it, and log out. Each step prints one JSON line; the first failure exits 1.
// Built and cached by test/clients/setup.sh; run by test/clients/trafficops.test.ts.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	tc "github.com/apache/trafficcontrol/v8/lib/go-tc"
	toclient "github.com/apache/trafficcontrol/v8/traffic_ops/v4-client"
	"github.com/apache/trafficcontrol/v8/traffic_ops/toclientlib"
)

func step(name string, detail interface{}) {
	line, _ := json.Marshal(map[string]interface{}{"step": name, "ok": true, "detail": detail})
	fmt.Println(string(line))
}

func fail(name string, err error) {
	line, _ := json.Marshal(map[string]interface{}{"step": name, "ok": false, "error": err.Error()})
	fmt.Println(string(line))
	os.Exit(1)
}

func cdnFilter(cdn string) toclient.RequestOptions {
	opts := toclient.NewRequestOptions()
	opts.QueryParameters.Set("cdn", cdn)
	return opts
}

func main() {
	url := flag.String("url", "", "Traffic Ops URL (Portcullis' origin)")
	user := flag.String("user", "", "user name")
	password := flag.String("password", "", "password")
	cdn := flag.String("cdn", "", "name of a registered CDN to lock")
	flag.Parse()
	if *url == "" || *user == "" || *password == "" || *cdn == "" {
		fail("args", fmt.Errorf("-url, -user, -password and -cdn are required"))
	}

	session, inf, err := toclient.Login(*url, *user, *password, toclient.Options{ClientOpts: toclientlib.ClientOpts{
		UserAgent:      "portcullis-ci/to-session",
		RequestTimeout: 15 * time.Second,
	}})
	if err != nil {
		fail("login", err)
	}
	step("login", map[string]interface{}{"apiVersion": session.APIVersion(), "status": inf.StatusCode})

	message := "maintenance window"
	soft := false
	created, _, err := session.CreateCDNLock(tc.CDNLock{CDN: *cdn, Message: &message, Soft: &soft}, toclient.NewRequestOptions())
	if err != nil {
		fail("create", err)
	}
	if created.Response.CDN != *cdn || created.Response.UserName != *user || created.Response.Soft == nil || *created.Response.Soft {
		fail("create", fmt.Errorf("unexpected lock %+v", created.Response))
	}
	step("create", map[string]interface{}{"lock": created.Response, "alerts": created.Alerts.Alerts})

	listed, _, err := session.GetCDNLocks(cdnFilter(*cdn))
	if err != nil {
		fail("list", err)
	}
	if len(listed.Response) != 1 || listed.Response[0].UserName != *user || listed.Response[0].Message == nil || *listed.Response[0].Message != message {
		fail("list", fmt.Errorf("unexpected locks %+v", listed.Response))
	}
	all, _, err := session.GetCDNLocks(toclient.NewRequestOptions())
	if err != nil {
		fail("list-all", err)
	}
	found := false
	for _, l := range all.Response {
		found = found || l.CDN == *cdn
	}
	if !found {
		fail("list-all", fmt.Errorf("lock on %s missing from %+v", *cdn, all.Response))
	}
	step("list", map[string]interface{}{"filtered": listed.Response, "all": len(all.Response)})

	deleted, _, err := session.DeleteCDNLocks(cdnFilter(*cdn))
	if err != nil {
		fail("delete", err)
	}
	if deleted.Response.CDN != *cdn {
		fail("delete", fmt.Errorf("unexpected deleted lock %+v", deleted.Response))
	}
	after, _, err := session.GetCDNLocks(cdnFilter(*cdn))
	if err != nil || len(after.Response) != 0 {
		fail("delete", fmt.Errorf("lock still listed after delete: %+v (%v)", after.Response, err))
	}
	step("delete", map[string]interface{}{"alerts": deleted.Alerts.Alerts})

	// The v4 client has no logout on an open session (LogoutWithAgent starts a new, cookie-less
	// client), so the session's own raw request posts to /user/logout with its cookie.
	creds, _ := json.Marshal(tc.UserCredentials{Username: *user, Password: *password})
	resp, _, err := session.RawRequestWithHdr(http.MethodPost, session.APIBase()+"/user/logout", creds, nil)
	if err != nil {
		fail("logout", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "You are logged out.") {
		fail("logout", fmt.Errorf("logout answered %d %s", resp.StatusCode, body))
	}
	// After logout the session's cookie no longer works.
	resp, _, err = session.RawRequestWithHdr(http.MethodGet, session.APIBase()+"/cdn_locks", nil, nil)
	if err != nil {
		fail("after-logout", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		fail("after-logout", fmt.Errorf("a request after logout answered %d, want 401", resp.StatusCode))
	}
	step("logout", map[string]interface{}{"afterLogout": resp.StatusCode})
}
