Rails.application.routes.draw do
  get "/healthz", to: "health#show"

  resources :invoices, only: %i[index show] do
    member { get :pdf }
  end
end
