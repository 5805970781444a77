# Base class for models in the billing database (the Rails `primary` config).
class ApplicationRecord < ActiveRecord::Base
  primary_abstract_class
end
