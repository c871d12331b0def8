"""A manageiq-client 0.6.1 session, as an automation script would write it (run by
test/clients/manageiq.test.ts with the clients venv's python): connect with a user's name and
password, find a VM by name, set its ownership, then set ownership of two VMs in one bulk call.
Prints one JSON object with what the API answered; any exception fails the run."""
import json
import sys

from manageiq_client.api import ManageIQClient

url, user, password, owner, group = sys.argv[1:6]
api = ManageIQClient(url + "/api", dict(user=user, password=password))
out = {"version": api.version, "collections": sorted(api.collections.all_names), "identity": api.identity}

vms = api.collections.vms
web = vms.get(name="web-1")  # filter[]=name='web-1', then GET of the resource
out["found"] = {"id": web.id, "name": web.name}
out["actions"] = web.action.all
web.action.set_ownership(owner={"name": owner})
out["single"] = api.response.json()

pair = [vms(41), vms(42)]
vms.action.set_ownership(*pair, owner={"name": owner}, group={"description": group})
out["bulk"] = api.response.json()
print(json.dumps(out))
