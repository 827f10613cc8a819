package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"github.com/kontor-dev/kontor"
)

// TestDeletesLeaveNoItems checks that every way of removing accounts
// removes their transactions, standing orders and securities with them:
// replacing uploaded logins, deleting a login and deleting a user, while
// another user's items stay. On PostgreSQL the items have no foreign key
// to their account (migration 0009); a trigger deletes them.
func TestDeletesLeaveNoItems(t *testing.T) {
	for name, url := range backends {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db, c := openWithClient(t, url(t))
			login := func(id string, n int) kontor.Login {
				l := kontor.Login{ID: id, Source: kontor.SourceUpload}
				for a := range 2 {
					acc := kontor.Account{ID: fmt.Sprintf("%s-a%d", id, a), Currency: "EUR"}
					for i := range n {
						acc.Transactions = append(acc.Transactions, kontor.Transaction{ID: fmt.Sprintf("t%d", i), Currency: "EUR", Tags: []kontor.Tag{}, Codes: []kontor.Code{}})
						acc.StandingOrders = append(acc.StandingOrders, kontor.StandingOrder{ID: fmt.Sprintf("s%d", i), Currency: "EUR"})
						acc.Securities = append(acc.Securities, kontor.Security{ID: fmt.Sprintf("x%d", i), Currency: "EUR"})
					}
					l.Accounts = append(l.Accounts, acc)
				}
				return l
			}
			items := func() [3]int {
				t.Helper()
				var n [3]int
				for i, table := range []string{"transactions", "standing_orders", "securities"} {
					if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM `+table, &n[i]); err != nil {
						t.Fatal(err)
					}
				}
				return n
			}
			expect := func(what string, want int) {
				t.Helper()
				if got := items(); got != [3]int{want, want, want} {
					t.Fatalf("%s: %v transactions, standing orders and securities stored, want %d of each", what, got, want)
				}
			}
			for _, id := range []string{"keep", "u1"} {
				if err := db.CreateUser(ctx, &kontor.User{ID: id, ClientID: c.ID, Type: kontor.UserPerson}); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.ReplaceUploadedLogins(ctx, c.ID, "keep", []kontor.Login{login("k", 3)}); err != nil {
				t.Fatal(err)
			}
			if err := db.ReplaceUploadedLogins(ctx, c.ID, "u1", []kontor.Login{login("l1", 5), login("l2", 4)}); err != nil {
				t.Fatal(err)
			}
			expect("after two uploads", 2*3+2*5+2*4)
			if err := db.ReplaceUploadedLogins(ctx, c.ID, "u1", []kontor.Login{login("l1", 2), login("l2", 1)}); err != nil {
				t.Fatal(err)
			}
			expect("after replacing the second user's logins", 2*3+2*2+2*1)
			if err := db.DeleteLogin(ctx, c.ID, "u1", "l2"); err != nil {
				t.Fatal(err)
			}
			expect("after deleting a login", 2*3+2*2)
			if err := db.DeleteUser(ctx, c.ID, "u1"); err != nil {
				t.Fatal(err)
			}
			expect("after deleting the user", 2*3)
		})
	}
}
