package alqimah

// Answers copied from the seed document.
const (
	seedLogin = `{
    "status": true,
    "message": "Login Successful",
    "access_token": "*********************",
    "token_expires": "2024-08-05 19:31:45"
}`
	seedError   = `{"status": false, "message": "Error Message"}`
	seedBalance = `{
    "status": true,
    "agentBalance": 100,
    "message": "Agent Balance Query Success",
    "transactionID": 0
}`
	seedStatusSuccess = `{
    "status": true,
    "operationStatus": 1,
    "mobileNumber": "777777777",
    "price": 100,
    "message": "جاهزة",
    "details": "Operation Notes",
    "transactionID": 1234,
    "referenceID": 4321
}`
	seedStatusFailed = `{
  "status": true,
  "operationStatus": 0,
  "mobileNumber": "777777777",
  "price": 100,
  "message": "ملغية",
  "details": "Operation Notes",
  "transactionID": 1234,
  "referenceID": 4321
}`
	seedStatusPending = `{
  "status": true,
  "operationStatus": -1,
  "mobileNumber": "777777777",
  "price": 100,
  "message": "في الانتظار",
  "details": "Operation Notes",
  "transactionID": 1234,
  "referenceID": 4321
}`
	seedFeed = `{
  "status": true,
  "data": [
    {"Date": "2024-08-03", "Amount": "70000.00000", "Currency": "ريال يمني", "Notes": "Notes"},
    {"Date": "2024-08-01", "Amount": "100000.00000", "Currency": "ريال يمني", "Notes": "Notes"}
  ],
  "message": "Query Success"
}`
	seedCategories = `{
  "status": true,
  "data": [
    {
      "TheNumber": 968,
      "ServiceName": "شدات بوبجي - Pubg UC",
      "CategoryName": "شدات بوبجي ( 60 شدة )",
      "GameUnitsCount": 60,
      "LinkCode": "pubg_60",
      "Price": 0.9,
      "CurrencyName": "دولار",
      "LocalPrice": 495,
      "LocalCurrencyName": "ريال يمني",
      "AllowFreeQuantity": false,
      "MinQuantity": 1,
      "MaxQuantity": 1,
      "RequiredFields": [{"FieldCode": "PlayerID", "FieldName": "رقم ايدي - اللاعب"}]
    },
    {
      "TheNumber": 969,
      "ServiceName": "شدات بوبجي - Pubg UC",
      "CategoryName": "شدات بوبجي ( 120 شدة )",
      "GameUnitsCount": 120,
      "LinkCode": "pubg_120",
      "Price": 1.81,
      "CurrencyName": "دولار",
      "LocalPrice": 995.5,
      "LocalCurrencyName": "ريال يمني",
      "AllowFreeQuantity": false,
      "MinQuantity": 1,
      "MaxQuantity": 1,
      "RequiredFields": [{"FieldCode": "PlayerID", "FieldName": "رقم ايدي - اللاعب"}]
    }
  ],
  "message": "Success",
  "transactionID": "1"
}`
	seedYMBalance = `{
  "status": true,
  "mobileBalance": 154.15,
  "availableCredit": "",
  "mobileType": 1,
  "mobileTypeName": "دفع مسبق",
  "message": "Balance Query Success",
  "transactionID": 0
}`
	seedYMLoan   = `{"status": true, "loanStatus": false, "loanStatusString": "الرقم غير متسلف", "message": "Balance Query Success"}`
	seedYMOffers = `{
  "status": true,
  "data": [
    {"offerID": "A115887147", "offerName": "شريحه 4G", "offerStartDate": "2020-01-01 03:00:00", "offerEndDate": "2037-01-01 00:00:00"},
    {"offerID": "A101051", "offerName": "VoLTE international toll offer", "offerStartDate": "2024-07-09 11:01:27", "offerEndDate": "2037-01-01 00:00:00"}
  ],
  "message": "Balance Query Success"
}`
	seedADSL     = `{"status": true, "mobileBalance": "44.18 جيجابايت", "expiredDate": "21/10/2024", "offerAmount": "12600", "minAmount": "250", "message": "Balance Query Success", "transactionID": "1"}`
	seedLandline = `{"status": true, "mobileBalance": "2869", "message": "Balance Query Success", "transactionID": "1"}`
	seedYemen4G  = `{"status": true, "mobileBalance": "26.90جيجابايت", "expiredDate": "2024-11-06", "offerAmount": "2400", "offerSize": "2400", "callBalance": "", "message": "Balance Query Success", "transactionID": "1"}`
	seedPayment  = `{
  "status": true,
  "operationStatus": 1,
  "agentBalance": 2445990.29131,
  "price": 5227,
  "message": "Payment succcess",
  "transactionID": "1",
  "referenceID": 243085
}`
)

// seedAnswers is every seed answer, for fuzz corpora.
var seedAnswers = []string{
	seedLogin, seedError, seedBalance, seedStatusSuccess, seedStatusFailed, seedStatusPending,
	seedFeed, seedCategories, seedYMBalance, seedYMLoan, seedYMOffers, seedADSL, seedLandline,
	seedYemen4G, seedPayment,
	`<html><body>502 Bad Gateway</body></html>`, `{"status": true, "operationStatus": 1, "price": 52`, ``,
	`{"status": "true", "operationStatus": "-1", "price": "12.5", "referenceID": "77"}`,
}
