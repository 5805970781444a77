class HealthController < ActionController::API
  def show
    results = DB_HEALTH_CHECKS.transform_values do |klass|
      klass.connection.select_value("SELECT 1").to_i == 1
    rescue StandardError
      false
    end

    render json: { databases: results },
           status: results.values.all? ? :ok : :service_unavailable
  end
end
